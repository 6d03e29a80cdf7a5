from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.student_numbers import validate_student_number


class Role(models.TextChoices):
    """Roles are Django groups of these names; `mobility.services.roles` creates them."""

    STUDENT = "student", _("Student")
    OFFICE_STAFF = "office_staff", _("Office staff")
    DEPARTMENT_COORDINATOR = "department_coordinator", _("Department coordinator")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address; the role is the group they belong to."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    student_number = models.CharField(
        _("student number"), max_length=32, blank=True, db_index=True, validators=[validate_student_number],
    )
    departments = models.ManyToManyField(
        "mobility.Department",
        blank=True,
        related_name="coordinators",
        verbose_name=_("departments"),
        help_text=_("For department coordinators: the departments whose applications they may see."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=[("tr", "Türkçe"), ("en", "English")], default="tr",
        help_text=_("Pages and e-mails use this language once the user has signed in."),
    )
    is_staff = models.BooleanField(
        _("admin site access"), default=False,
        help_text=_("Whether the user can sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email
