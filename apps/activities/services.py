"""Writes of activities, commitment signings and reintegration models: validated, scoped, audited."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.core.audit import AuditAction, audit, diff, snapshot
from apps.core.locking import check_and_bump_version

from .models import Activity, CommitmentSigning, ReintegrationModel

WHOLE_WARD_NOT_ALLOWED = _("Cán bộ khóm chỉ ghi nhận hoạt động của khóm mình: hãy chọn khóm.")


def _apply(instance: models.Model, data: dict) -> None:
    for name, value in data.items():
        setattr(instance, name, value)
    # A khóm implies its ward: khóm officers never pick the ward themselves.
    if getattr(instance, "khom_id", None) and hasattr(instance, "ward_id") and not instance.ward_id:
        instance.ward_id = instance.khom.ward_id


def _save(instance: models.Model, *, user, before: dict | None, expected_version) -> models.Model:
    """full_clean, lock-and-bump on update, save, re-check scope, audit the diff — in the caller's transaction."""
    if user.is_khom_officer and hasattr(instance, "ward_id") and not instance.khom_id:
        raise ValidationError({"khom": WHOLE_WARD_NOT_ALLOWED})
    instance.full_clean()
    if before is None:
        instance.created_by = user
    else:
        check_and_bump_version(instance, expected_version)
    instance.save()
    # Re-checked after the write so that no path (form tampering, a stale choice) lands a row outside the scope.
    if not type(instance).objects.for_user(user).filter(pk=instance.pk).exists():
        raise PermissionDenied
    audit(AuditAction.UPDATE if before else AuditAction.CREATE, user=user, obj=instance,
          changes=diff(before, snapshot(instance)))
    return instance


def _create(model, *, user, data: dict) -> models.Model:
    with transaction.atomic():
        instance = model()
        _apply(instance, data)
        return _save(instance, user=user, before=None, expected_version=None)


def _update(instance, *, user, data: dict, expected_version: int | None) -> models.Model:
    with transaction.atomic():
        stored = type(instance)._base_manager.get(pk=instance.pk)
        before = snapshot(stored)
        _apply(instance, data)
        return _save(instance, user=user, before=before, expected_version=expected_version)


def activity_create(*, user, data: dict) -> Activity:
    """Record a session; a khóm officer must name his own khóm."""
    return _create(Activity, user=user, data=data)


def activity_update(*, activity: Activity, user, data: dict, expected_version: int | None) -> Activity:
    """Change a session, refusing an edit made on a stale version."""
    return _update(activity, user=user, data=data, expected_version=expected_version)


def commitment_signing_create(*, user, data: dict) -> CommitmentSigning:
    """Record a round of household commitments for one khóm."""
    return _create(CommitmentSigning, user=user, data=data)


def commitment_signing_update(*, signing: CommitmentSigning, user, data: dict,
                              expected_version: int | None) -> CommitmentSigning:
    """Correct a round of household commitments."""
    return _update(signing, user=user, data=data, expected_version=expected_version)


def reintegration_model_create(*, user, data: dict) -> ReintegrationModel:
    """Record a reintegration model of the ward or of one khóm."""
    return _create(ReintegrationModel, user=user, data=data)


def reintegration_model_update(*, model: ReintegrationModel, user, data: dict,
                               expected_version: int | None) -> ReintegrationModel:
    """Change a reintegration model."""
    return _update(model, user=user, data=data, expected_version=expected_version)
