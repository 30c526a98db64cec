"""Shapes of what the foundation endpoints return, and how models become them."""

from ninja import Field, Schema


class RegionOut(Schema):
    code: str
    name: str


class DepartmentOut(Schema):
    code: str
    name: str
    region: RegionOut | None = None


class DepartmentRef(Schema):
    code: str
    name: str


class CommuneOut(Schema):
    insee: str = Field(description="Code officiel géographique (INSEE) de la commune.")
    name: str
    department: DepartmentRef
    postal_codes: list[str]
    population: int | None
    latitude: float
    longitude: float


class CommuneResolution(Schema):
    query: str
    exact: bool = Field(description="Vrai quand le texte désigne une seule commune.")
    results: list[CommuneOut]
    suggestions: list[CommuneOut] = Field(
        description="Orthographes proches, seulement quand rien ne correspond."
    )


class CommuneRef(Schema):
    insee: str
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    rna: str
    siren: str
    commune: CommuneRef | None
    department: DepartmentRef | None
    sector: str
    members_band: str
    budget_band: str
    description: str
    website: str
    public_email: str = Field(description="Adresse de contact publique de l'organisation.")
    verified: bool
    updated_at: str


class OrganisationPatch(Schema, extra="forbid"):
    description: str | None = Field(None, max_length=5000)
    website: str | None = Field(None, max_length=200, description="Adresse http(s).")
    public_email: str | None = Field(None, max_length=254)


class MembershipOut(Schema):
    role: str
    role_label: str
    organisation: str | None = Field(description="Adresse courte (slug) de l'organisation.")


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    is_staff: bool
    roles: list[MembershipOut]


def region_to_dict(region) -> dict:
    return {"code": region.code, "name": region.name}


def department_to_dict(department, *, with_region: bool = True) -> dict:
    data = {"code": department.code, "name": department.name}
    if with_region:
        data["region"] = region_to_dict(department.region)
    return data


def commune_to_dict(commune) -> dict:
    return {
        "insee": commune.insee,
        "name": commune.name,
        "department": department_to_dict(commune.department, with_region=False),
        "postal_codes": commune.postal_codes.split(),
        "population": commune.population,
        "latitude": commune.latitude,
        "longitude": commune.longitude,
    }


def organisation_to_dict(organisation) -> dict:
    # Public fields only: never the e-mail addresses of people (members, creator, verifier).
    commune = organisation.commune
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "rna": organisation.rna,
        "siren": organisation.siren,
        "commune": {"insee": commune.insee, "name": commune.name} if commune else None,
        "department": (
            department_to_dict(commune.department, with_region=False) if commune else None
        ),
        "sector": organisation.sector,
        "members_band": organisation.members_band,
        "budget_band": organisation.budget_band,
        "description": organisation.description,
        "website": organisation.website,
        "public_email": organisation.public_email,
        "verified": organisation.verified_at is not None,
        "updated_at": organisation.updated_at.isoformat(),
    }
