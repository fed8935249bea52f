"""Course pages in the Wagtail tree: the catalogue, a course and its lessons."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.slugs import TransliteratedSlugMixin
from cms.widgets import PlanItemsWidget

from ..blocks import LessonStreamBlock
from ..panels import CourseReviewPanel
from ..scorm.forms import LessonPageForm


class CourseIndexPage(TransliteratedSlugMixin, Page):
    intro = RichTextField(_("вступление"), blank=True)
    show_in_menus_default = True

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("каталог курсов")
        verbose_name_plural = _("каталоги курсов")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().public().child_of(self)
        return context


class CoursePage(TransliteratedSlugMixin, Page):
    summary = models.TextField(_("кратко о курсе"), help_text=_("Показывается в каталоге и в кабинете."))
    description = RichTextField(_("о курсе"), blank=True)
    audience_text = models.TextField(
        _("для кого"),
        blank=True,
        help_text=_("Например: муниципальные служащие, впервые поступившие на службу."),
    )
    hours = models.DecimalField(
        _("объём, академических часов"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    plan_items = ParentalManyToManyField(
        "cms.PlanItem", verbose_name=_("мероприятия плана"), blank=True, related_name="courses"
    )
    is_mandatory = models.BooleanField(
        _("обязательный курс"),
        default=False,
        help_text=_("Курс назначается и контролируется кадровой службой."),
    )
    self_enrollment = models.BooleanField(
        _("свободная запись"), default=True, help_text=_("Любой вошедший на сайт может записаться сам.")
    )
    municipal_use = models.BooleanField(
        _("для муниципальных назначений"),
        default=False,
        help_text=_(
            "Муниципальные менеджеры могут назначать этот курс служащим своего муниципального образования."
        ),
    )
    final_quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("итоговый тест"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="final_of_courses",
        help_text=_("Курс завершён, когда изучены все уроки и итоговый тест сдан. Пусто — теста нет."),
    )
    issues_certificate = models.BooleanField(_("выдавать сертификат"), default=True)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("срок действия сертификата, мес."),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Пусто — бессрочно."),
    )
    recertify_days_before = models.PositiveSmallIntegerField(
        _("переаттестация: записать заново за N дней до окончания срока"),
        default=30,
        help_text=_(
            "Когда срок действия сертификата подходит к концу, слушатель снова записывается на курс; "
            "пройти его нужно до окончания срока."
        ),
    )

    content_panels = [
        CourseReviewPanel(heading=_("Проверка курса с уроками")),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("audience_text"),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("is_mandatory"), FieldPanel("self_enrollment")]),
        FieldPanel("municipal_use"),
        FieldPanel("plan_items", widget=PlanItemsWidget),
        FieldPanel("final_quiz"),
        MultiFieldPanel(
            [
                FieldPanel("issues_certificate"),
                FieldRowPanel(
                    [FieldPanel("certificate_validity_months"), FieldPanel("recertify_days_before")]
                ),
            ],
            heading=_("Сертификат"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("audience_text"),
        index.FilterField("is_mandatory"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("курс")
        verbose_name_plural = _("курсы")

    def lessons(self):
        """Published lessons in the order of the page tree."""
        return LessonPage.objects.live().child_of(self).order_by("path")

    def may_edit(self, user):
        return user.is_authenticated and self.permissions_for_user(user).can_edit()

    def get_context(self, request, *args, **kwargs):
        from ..progress import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(self, request.user))
        return context


class LessonPage(TransliteratedSlugMixin, Page):
    intro = models.TextField(_("о чём урок"), blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("содержание урока"), blank=True)
    # Set by the editor's upload field (courses/scorm/forms.py), never chosen from a list.
    scorm_package = models.ForeignKey(
        "courses.ScormPackage",
        verbose_name=_("SCORM-пакет"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )

    content_panels = [
        CourseReviewPanel(heading=_("Проверка вместе с курсом")),
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("scorm_upload"), FieldPanel("scorm_remove")],
            heading=_("Урок в формате SCORM"),  # ≤ 22 characters: the minimap cuts longer ones
        ),
    ]
    base_form_class = LessonPageForm
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("урок")
        verbose_name_plural = _("уроки")

    # A lesson is not moderated on its own: it goes to review with its course and, while the course is
    # in review, it is locked like the course (``courses.review``).
    @property
    def has_workflow(self):
        return False

    def get_workflow(self):
        return None

    def get_lock(self):
        from ..review import lesson_lock

        return super().get_lock() or lesson_lock(self)

    @property
    def course(self):
        return CoursePage.objects.get(pk=self.get_parent().pk) if self.pk else None

    def get_context(self, request, *args, **kwargs):
        from ..progress import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request, preview=getattr(request, "is_preview", False)))
        return context
