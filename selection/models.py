from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunFailure(models.TextChoices):
    """Why a run ended without results; `error` keeps the details."""

    INPUT = "input", _("The call's data cannot be ranked")
    ERROR = "error", _("Unexpected error")
    ENQUEUE = "enqueue", _("The task queue was unreachable; the run was never started")
    TIMEOUT = "timeout", _("The run did not finish within the time limit")
    WORKER_LOST = "worker_lost", _("The worker stopped during the run")
    CANCELLED = "cancelled", _("Cancelled by the office")


class Outcome(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    RESERVE = "reserve", _("Reserve")
    EXCLUDED = "excluded", _("Excluded")


# Primary or reserve: on the list (a placement is made for each after the final list).
PLACED_OUTCOMES = (Outcome.PRIMARY, Outcome.RESERVE)


class Reason(models.TextChoices):
    NO_GPA = "no_gpa", _("No GPA yet")
    MISSING_TRANSCRIPT = "missing_transcript", _("Graduate student without GPA and without the previous degree's transcript")
    GPA_BELOW_MINIMUM = "gpa_below_minimum", _("GPA below the minimum")
    ABSENT_EXAM = "absent_exam", _("Did not sit the written exam")
    WRITTEN_BELOW_MINIMUM = "written_below_minimum", _("Written exam below the department minimum")


class SelectionRun(models.Model):
    """One run of the selection for a call; earlier runs are kept for the record."""

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="selection_runs", verbose_name=_("call"))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    rules_snapshot = models.JSONField(_("rules used"), default=dict, blank=True)
    inputs_snapshot = models.JSONField(_("inputs used"), default=list, blank=True)
    places = models.PositiveIntegerField(_("primary places"), default=0)
    primaries = models.PositiveIntegerField(_("primaries"), default=0)
    reserves = models.PositiveIntegerField(_("reserves"), default=0)
    excluded = models.PositiveIntegerField(_("excluded"), default=0)
    failure = models.CharField(_("reason for failure"), max_length=16, choices=RunFailure.choices, blank=True)
    error = models.TextField(_("error"), blank=True)
    before_close = models.BooleanField(
        _("run before the applications closed"), default=False,
        help_text=_("Started while applications were still open; its list may miss later applications."),
    )

    class Meta:
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        constraints = [
            # Runs of one call never overlap: the database refuses a second active one.
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(status__in=list(ACTIVE_RUN_STATUSES)), name="one_active_run_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call.code} run #{self.pk}"


class SelectionResult(models.Model):
    # No index of its own: result_ranking_order starts with the run. A second one on the run alone
    # is what PostgreSQL picked right after a run (before its statistics knew the run), reading
    # all 50,000 rows for a page of 100.
    # No database constraint either: a run's results are written only by selection.store, in the
    # transaction that creates the run (nobody else can see the run, let alone delete it, before
    # it commits), and Django deletes them with their run (CASCADE is done by Django, not by the
    # database). PostgreSQL's check of this key read the same run row once per result: 0.2 s of
    # every 50,000-row run. The key to the application is checked: applications change outside.
    run = models.ForeignKey(
        SelectionRun, on_delete=models.CASCADE, related_name="results", verbose_name=_("run"), db_index=False,
        db_constraint=False,
    )
    # Its index is result_once_per_run, which starts with the application.
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="selection_results", verbose_name=_("application"),
        db_index=False,
    )
    student_number = models.CharField(_("student number"), max_length=32)
    department_code = models.CharField(_("department"), max_length=32)
    eligible = models.BooleanField(_("eligible"))
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices, blank=True)
    gpa_used = models.DecimalField(_("GPA used"), max_digits=3, decimal_places=2, null=True, blank=True)
    ratio = models.DecimalField(_("GPA ratio"), max_digits=6, decimal_places=2, null=True, blank=True)
    academic_score = models.DecimalField(_("academic score"), max_digits=6, decimal_places=2, null=True, blank=True)
    language_score = models.DecimalField(_("language score"), max_digits=6, decimal_places=2, null=True, blank=True)
    adjustments = models.JSONField(_("deductions and bonuses"), default=list, blank=True)
    adjustments_total = models.DecimalField(_("adjustments"), max_digits=6, decimal_places=2)
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2, null=True, blank=True)
    department_rank = models.PositiveIntegerField(_("department rank"), null=True, blank=True)
    allocation_round = models.PositiveIntegerField(_("allocation round"), null=True, blank=True)
    order = models.PositiveIntegerField(_("allocation order"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)

    class Meta:
        verbose_name = _("selection result")
        verbose_name_plural = _("selection results")
        # Application first: it also serves an application's results (and their deletion with it),
        # so the table keeps three indexes, not four; writing each costs about 0.1 s a run.
        constraints = [models.UniqueConstraint(fields=["application", "run"], name="result_once_per_run")]
        # The result pages' order (ranking_rows; PostgreSQL puts NULL ranks last in an ascending
        # index): a page of 100 rows reads 100 index entries, whatever the table's statistics.
        indexes = [models.Index(fields=["run", "department_code", "department_rank", "student_number"], name="result_ranking_order")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.student_number}: {self.outcome}"


class PublicationStage(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class Publication(models.Model):
    """A finished run published to students, as a preliminary or the final list.

    Preliminary lists may be published again with newer runs (after appeals); the final list is
    published once per call and is what placements, letters and the budget ledger start from.
    """

    call = models.ForeignKey("mobility.Call", on_delete=models.CASCADE, related_name="publications", verbose_name=_("call"))
    run = models.ForeignKey(SelectionRun, on_delete=models.PROTECT, related_name="publications", verbose_name=_("run"))
    stage = models.CharField(_("stage"), max_length=16, choices=PublicationStage.choices)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("published by"),
    )
    # SHA-256 of the publication's canonical public CSV (selection.digests), which itself names the
    # previous publication's digest: the publications of a call form a hash chain.
    digest = models.CharField(_("digest (SHA-256)"), max_length=64, blank=True, db_index=True)
    previous_digest = models.CharField(_("previous publication's digest"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        constraints = [
            models.UniqueConstraint(fields=["call"], condition=models.Q(stage="final"), name="one_final_publication_per_call"),
        ]

    def __str__(self) -> str:
        return f"{self.call.code} {self.stage} (run #{self.run_id})"


class PublishedList(models.Model):
    """The exact bytes of a publication's canonical public CSV, as offered for download.

    Kept rather than made again on request: the digest printed on the notice board must match the
    file anyone downloads, even after the portal's translations or code change.
    """

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="published_list",
                                       verbose_name=_("publication"))
    content = models.BinaryField(_("CSV"))

    class Meta:
        verbose_name = _("published list")
        verbose_name_plural = _("published lists")

    def __str__(self) -> str:
        return f"list of publication {self.publication_id}"
