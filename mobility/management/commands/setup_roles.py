from django.core.management.base import BaseCommand

from mobility.services.roles import roles_ensure


class Command(BaseCommand):
    help = "Create the role groups (student, office staff, department coordinator, admin) with their permissions."

    def handle(self, *args, **options):
        groups = roles_ensure()
        self.stdout.write("Roles: " + ", ".join(sorted(groups)))
