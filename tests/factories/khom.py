import factory

from apps.khom.models import Khom, Ward


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"W{n:04d}")
    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    province = "An Giang"
    population = 20000


class KhomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Khom

    ward = factory.SubFactory(WardFactory)
    code = factory.Sequence(lambda n: f"K{n:03d}")
    name = factory.Sequence(lambda n: f"Khóm Thử {n}")
    population = 2000
    households = 500
    target_year = 2026
