from letters.services.deadlines import deadlines_run
from mobility.management.base import TimelineCommand
from mobility.models import Call, CallStatus


class Command(TimelineCommand):
    help = "Run what is due at the letter deadline and the end of the reserve list (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("call_code", nargs="?")
        super().add_arguments(parser)

    def handle(self, *args, call_code=None, **options):
        at = self.instant(options)
        if call_code:
            calls = [self.call_get(call_code)]
        else:
            calls = list(Call.objects.filter(status=CallStatus.FINAL_PUBLISHED).order_by("code"))
        for call in calls:
            done = deadlines_run(call=call, at=at)
            self.stdout.write(
                f"{call.code}: lost_place: {', '.join(done['lost_place']) or '-'}; "
                f"reserve_expired: {', '.join(done['reserve_expired']) or '-'}; "
                f"promoted: {', '.join(done['promoted']) or '-'}"
            )
