from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Acceptance letters")

    def ready(self):
        # Services import models, which are loaded only once the app registry is ready.
        from letters.services.deadlines import EFFECTS, deadline_change_effects_read, deadline_effect, placements_sweep
        from letters.services.publication import placements_create
        from mobility.services.deadlines import deadline_effect_provider, deadline_handler, sweep_pass
        from selection.publication import publication_handler

        publication_handler(placements_create)
        # The call form says who a deadline change would take off the list, before it is saved.
        deadline_effect_provider(deadline_change_effects_read)
        # The one periodic sweep records each passed deadline once and runs its effect as of the deadline.
        for kind in EFFECTS:
            deadline_handler(kind)(lambda call, kind=kind: deadline_effect(call=call, kind=kind))
        sweep_pass(placements_sweep)
