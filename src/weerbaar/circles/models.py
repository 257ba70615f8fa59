"""Learning circles (leerkringen): people of several municipalities who learn from each other.

A circle's content is not municipal data: these models do not inherit ``OrganisationOwned``
and are not scoped by municipality. Who sees a circle is decided by circle membership alone,
in one place: :func:`weerbaar.circles.selectors.member_circles`. Every view and API operation
finds its circle, meeting, thread, post or document through that selector.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Organisation


def person_name(user) -> str:
    """The name shown to other circle members: never the e-mail address (it names the municipality's domain)."""
    if user is None:
        return str(_("oud-deelnemer"))
    return user.full_name or str(_("deelnemer zonder naam"))


class Circle(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", _("regio")
        THEME = "theme", _("thema")
        SIZE = "size", _("grootteklasse")
        OTHER = "other", _("anders")

    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort leerkring"), max_length=10, choices=Kind.choices, default=Kind.REGION)
    description = models.TextField(
        _("omschrijving"),
        blank=True,
        help_text=_("Waar de leerkring over gaat en voor wie. Opmaak: *schuin*, **vet**, lijstjes met een streepje."),
    )
    discoverable = models.BooleanField(
        _("vindbaar voor anderen"),
        default=False,
        help_text=_(
            "Naam en omschrijving staan in de lijst van leerkringen waarvoor men zich kan aanmelden. "
            "De inhoud blijft alleen voor deelnemers."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("leerkring")
        verbose_name_plural = _("leerkringen")

    def __str__(self):
        return self.name


class CircleMember(models.Model):
    """A person's place in a circle, from invitation or request to leaving.

    The row stays after leaving, so posts remain attributed and the history is complete.
    """

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("begeleider")
        MEMBER = "member", _("deelnemer")

    class State(models.TextChoices):
        INVITED = "invited", _("uitgenodigd")
        REQUESTED = "requested", _("aangemeld")
        ACTIVE = "active", _("deelnemer")
        DECLINED = "declined", _("afgewezen")
        LEFT = "left", _("vertrokken")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships")
    # The municipality the person takes part for (none for national editors); shown beside the name.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("gemeente")
    )
    role = models.CharField(_("rol"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.ACTIVE)
    message = models.TextField(_("toelichting"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    digest = models.BooleanField(
        _("e-mail met nieuwe berichten"),
        default=True,
        help_text=_("Eens per dag een overzicht van nieuwe berichten in deze leerkring."),
    )
    mention_mail = models.BooleanField(
        _("e-mail als iemand mij noemt"), default=True, help_text=_("Een bericht zodra iemand u met @naam noemt.")
    )

    class Meta:
        ordering = ["circle", "user__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["circle", "user"], name="one_place_per_circle")]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")

    def __str__(self):
        return f"{person_name(self.user)} ({self.circle})"

    @property
    def name(self) -> str:
        return person_name(self.user)

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_facilitator(self) -> bool:
        return self.is_active and self.role == self.Role.FACILITATOR


class Meeting(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint op"))
    ends_at = models.DateTimeField(_("eindigt op"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    online_url = models.URLField(
        _("link voor online deelnemen"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
        help_text=_("Een https-adres, bijvoorbeeld van Teams of Jitsi."),
    )
    agenda = models.TextField(
        _("agenda"),
        blank=True,
        help_text=_("Opmaak: *schuin*, **vet**, lijstjes met een streepje."),
    )
    minutes = models.TextField(
        _("verslag"),
        blank=True,
        help_text=_("Opmaak: *schuin*, **vet**, lijstjes met een streepje."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("aanwezig")
        EXCUSED = "excused", _("afgemeld")
        ABSENT = "absent", _("afwezig")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("aanwezigheid"), max_length=10, choices=Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")

    def __str__(self):
        return f"{self.member.name}: {self.get_status_display()}"


class Thread(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("onderwerp"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-id"]
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")

    def __str__(self):
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    # Denormalised from the thread: the digest and the isolation selector filter on it directly.
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="posts", editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    # Kept as written, so a post stays attributed after its author left the circle or the platform.
    author_name = models.CharField(max_length=150, editable=False)
    author_organisation = models.CharField(max_length=120, blank=True, editable=False)
    body = models.TextField(
        _("bericht"),
        help_text=_("Opmaak: *schuin*, **vet**, lijstjes met een streepje. Noem iemand met @naam."),
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"


class DigestDelivery(models.Model):
    """A post that went to a member in a digest: the unique pair makes a second mailing impossible."""

    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "post"], name="one_digest_per_post_and_member")]


class Document(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("gedeeld document")
        verbose_name_plural = _("gedeelde documenten")

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    note = models.CharField(_("wat is er veranderd"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    uploaded_by_name = models.CharField(max_length=150, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_version_number_per_document")]
        verbose_name = _("versie")
        verbose_name_plural = _("versies")

    def __str__(self):
        return f"{self.filename} (v{self.number})"
