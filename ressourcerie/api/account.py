"""Who the token belongs to: the simplest proof that a token works."""

from ninja import Router

from . import v1
from .schemas import MeOut

router = Router(tags=["Compte"])


@router.get(
    "/me",
    response=MeOut,
    auth=v1.token_auth,
    summary="Le titulaire du jeton",
    description="Identité et rôles de la personne à qui appartient le jeton d'API envoyé.",
    openapi_extra=v1.example(
        path="/api/v1/me",
        response={
            "id": 42,
            "email": "camille@example.org",
            "display_name": "Camille",
            "is_staff": False,
            "roles": [
                {
                    "role": "member",
                    "role_label": "Membre d'une association",
                    "organisation": "les-amis-du-jardin",
                }
            ],
        },
    ),
)
def me(request):
    user = request.auth.user
    memberships = user.memberships.select_related("organisation").order_by("role", "pk")
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "is_staff": user.is_staff,
        "roles": [
            {
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "organisation": m.organisation.slug if m.organisation else None,
            }
            for m in memberships
        ],
    }


v1.add_router("/", router)
