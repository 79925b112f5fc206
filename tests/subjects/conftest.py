import pytest

from apps.subjects.choices import Gender

from tests.factories.subjects import PersonFactory


@pytest.fixture
def person(khom):
    """A person of khóm A01 (khom_officer's own khóm)."""
    return PersonFactory(khom=khom, full_name="Nguyễn Văn Đức", cccd="089090123456")


@pytest.fixture
def neighbour(khom2):
    """A person of khóm A02: same ward, another khóm."""
    return PersonFactory(khom=khom2, full_name="Trần Thị Đào", gender=Gender.FEMALE)


@pytest.fixture
def stranger(other_khom):
    """A person of another ward."""
    return PersonFactory(khom=other_khom, full_name="Lê Văn Đông")
