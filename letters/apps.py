from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Acceptance letters")

    def ready(self):
        from letters.services.deadlines import deadline_change_effects_read, deadlines_run
        from letters.services.publication import placements_create
        from mobility.services.deadlines import deadline_effect_provider, deadline_handler
        from selection.publication import publication_handler

        publication_handler(placements_create)
        deadline_effect_provider(deadline_change_effects_read)

        # The sweep handles each passed deadline once; the job runs as of the deadline itself.
        @deadline_handler("letter_deadline")
        def _letter_deadline(call, *args, **kwargs):
            deadlines_run(call=call, at=call.letter_deadline)

        @deadline_handler("reserve_list_end")
        def _reserve_list_end(call, *args, **kwargs):
            deadlines_run(call=call, at=call.reserve_list_end)
