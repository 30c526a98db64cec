"""Reads of testimonials, used by views, the API, exports and other parts
(toolbox tool page, organisation page, diagnostic, directory)."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from ressourcerie.core import search
from ressourcerie.core.models import Department, ModerationStatus, Organisation, OrganisationKind

from .models import DisplayMode, Testimonial, TestimonialTool


def published_testimonials() -> QuerySet:
    return Testimonial.objects.filter(moderation_status=ModerationStatus.PUBLISHED)


def testimonials_published_between(start, end, *, department=None, limit: int = 6) -> list:
    """New testimonials for a newsletter period, in ``department`` when given."""
    queryset = published_testimonials()
    if start:
        queryset = queryset.filter(published_at__date__gte=start)
    if end:
        queryset = queryset.filter(published_at__date__lte=end)
    if department is not None:
        queryset = queryset.filter(department=department)
    return list(queryset[:limit])


def for_cards(queryset: QuerySet) -> QuerySet:
    """What a card shows: association, department, tools (published ones only)."""
    return queryset.select_related("organisation", "department").prefetch_related(
        Prefetch(
            "tool_links",
            queryset=TestimonialTool.objects.filter(
                tool__moderation_status=ModerationStatus.PUBLISHED
            )
            .select_related("tool")
            .order_by("role", "tool__name"),
        )
    )


def with_relations(queryset: QuerySet) -> QuerySet:
    return (
        for_cards(queryset)
        .select_related("department__region")
        .prefetch_related("actors", "images")
    )


def get_testimonial(pk) -> Testimonial | None:
    """Any status (the caller checks permissions.can_view)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return with_relations(Testimonial.objects.filter(pk=pk)).first()


def get_published(pk) -> Testimonial | None:
    found = get_testimonial(pk)
    return found if found and found.moderation_status == ModerationStatus.PUBLISHED else None


def testimonials_for_tool(tool, *, limit: int | None = None) -> list[Testimonial]:
    """Published testimonials in which ``tool`` was used before or adopted after."""
    queryset = for_cards(
        published_testimonials().filter(
            pk__in=TestimonialTool.objects.filter(tool=tool).values("testimonial")
        )
    )
    return list(queryset[:limit] if limit else queryset)


def testimonials_for_organisation(organisation, *, limit: int | None = None) -> list:
    """Published testimonials that name ``organisation``: as a support actor that helped,
    or as the association telling its story (anonymous stories are never linked back)."""
    queryset = published_testimonials().filter(
        Q(actors=organisation) | Q(organisation=organisation, display_mode=DisplayMode.NAMED)
    )
    queryset = with_relations(queryset.distinct())
    return list(queryset[:limit] if limit else queryset)


def comparable_testimonials(
    *, sector=None, members_band=None, department_code=None, limit: int = 3
) -> list[Testimonial]:
    """ "Témoignages d'associations comparables": same sector or same size, nearby first
    (same department, then same region), then those matching both, newest first."""
    queryset = published_testimonials()
    similar = Q()
    if sector:
        similar |= Q(sector=sector)
    if members_band:
        similar |= Q(members_band=members_band)
    if sector or members_band:
        queryset = queryset.filter(similar)
    region_code = None
    if department_code:
        region_code = (
            Department.objects.filter(code=department_code)
            .values_list("region__code", flat=True)
            .first()
        )
    queryset = queryset.annotate(
        nearness=Case(
            When(department__code=department_code or "-", then=Value(0)),
            When(department__region__code=region_code or "-", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        likeness=Case(
            When(Q(sector=sector or "-") & Q(members_band=members_band or "-"), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("nearness", "likeness", "-published_at", "-pk")
    return list(with_relations(queryset)[:limit])


@dataclass
class TestimonialFilters:
    sector: str = ""
    need: str = ""
    tool: str = ""
    department: str = ""
    size: str = ""

    def as_search_filters(self) -> dict:
        names = {
            "sector": "secteur",
            "need": "besoin",
            "tool": "outil",
            "department": "departement",
            "size": "taille",
        }
        return {names[k]: v for k, v in self.__dict__.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.as_search_filters())

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.sector:
            queryset = queryset.filter(sector=self.sector)
        if self.size:
            queryset = queryset.filter(members_band=self.size)
        if self.department:
            queryset = queryset.filter(department__code=self.department)
        # Sub-queries rather than joins: no duplicate rows, so no DISTINCT over the page.
        if self.tool:
            queryset = queryset.filter(
                pk__in=TestimonialTool.objects.filter(tool__slug=self.tool).values("testimonial")
            )
        if self.need:
            links = TestimonialTool.objects.filter(
                Q(tool__needs__slug=self.need) | Q(tool__needs__parent__slug=self.need)
            )
            queryset = queryset.filter(pk__in=links.values("testimonial"))
        return queryset


def list_testimonials(filters: TestimonialFilters) -> QuerySet:
    return for_cards(filters.apply(published_testimonials()))


def search_testimonials(text: str, filters: TestimonialFilters, *, page=1, per_page=20):
    """Full text through the site search; returns (SearchResults, testimonials of the page)."""
    results = search.find(
        text,
        types=["testimonial"],
        filters=filters.as_search_filters(),
        page=page,
        per_page=per_page,
    )
    ids = [int(hit.object_id) for hit in results.items]
    by_id = {t.pk: t for t in for_cards(published_testimonials().filter(pk__in=ids))}
    return results, [by_id[i] for i in ids if i in by_id]


def search_document(testimonial: Testimonial) -> search.SearchDocumentData:
    """Title first; tools, sector and place as keywords; the story as body."""
    links = list(
        testimonial.tool_links.select_related("tool").prefetch_related("tool__needs__parent")
    )
    tools = [link.tool for link in links]
    needs = {n for tool in tools for n in tool.needs.all()}
    need_slugs = {n.slug for n in needs} | {n.parent.slug for n in needs if n.parent_id}
    keywords = [t.name for t in tools] + [n.name for n in needs]
    if testimonial.sector:
        keywords.append(str(testimonial.get_sector_display()))
    if testimonial.department_id:
        keywords.append(testimonial.department.name)
    keywords += [a.name for a in testimonial.actors.all()]
    if testimonial.is_named:
        keywords.append(testimonial.organisation.name)
    body = "\n".join(
        [
            testimonial.problem,
            testimonial.actions,
            testimonial.results,
            testimonial.difficulties,
            testimonial.advice,
        ]
    )
    return search.SearchDocumentData(
        title=testimonial.title,
        keywords=keywords,
        body=body,
        url=testimonial.get_absolute_url(),
        filters={
            "secteur": testimonial.sector,
            "taille": testimonial.members_band,
            "departement": testimonial.department.code if testimonial.department_id else "",
            "outil": sorted({t.slug for t in tools}),
            "besoin": sorted(need_slugs),
        },
    )


def testimonials_by(user) -> QuerySet:
    """What ``user`` submitted, any status, newest first."""
    return Testimonial.objects.filter(submitted_by=user).select_related("organisation")


def support_structures() -> QuerySet:
    return Organisation.objects.filter(kind=OrganisationKind.SUPPORT_STRUCTURE).order_by("name")
