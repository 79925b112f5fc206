import factory

from apps.accounts.choices import Role
from apps.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    """A user of the given role; pass wards=[...] or khoms=[...] for scope."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Cán bộ"
    last_name = factory.Sequence(lambda n: f"Thử {n}")
    role = Role.POLICE
    password = factory.django.Password("Khong-doan-duoc-2025")

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.set(extracted)

    @factory.post_generation
    def khoms(self, create, extracted, **kwargs):
        if create and extracted:
            self.khoms.set(extracted)
