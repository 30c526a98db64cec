"""Registering a searchable type, and the signals that index ``auto_index`` types' objects
as they are saved or deleted. (Here rather than in ``registry``: the handlers need the
indexer, which reads the registry.)"""

from django.db.models.signals import post_delete, post_save

from . import registry
from .indexer import index_object, remove_object
from .registry import SearchableType


def register(searchable: SearchableType) -> SearchableType:
    """Register (or replace) a searchable type; returns it."""
    previous = registry.add(searchable)
    if (
        previous is not None
        and previous.auto_index
        and (previous.model is not searchable.model or not searchable.auto_index)
    ):
        disconnect(previous.model)
    if searchable.auto_index:
        connect(searchable.model)
    return searchable


def unregister(key: str) -> None:
    searchable = registry.remove(key)
    if searchable is not None and searchable.auto_index:
        disconnect(searchable.model)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the index is rebuilt afterwards
        return
    # In the same transaction as the write: the index rolls back with it.
    index_object(instance)


def _deleted(sender, instance, **kwargs):
    remove_object(instance)


def connect(model):
    uid = f"search-{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def disconnect(model):
    uid = f"search-{model._meta.label_lower}"
    post_save.disconnect(sender=model, dispatch_uid=uid)
    post_delete.disconnect(sender=model, dispatch_uid=uid)
