"""Optional automatic indexing for types registered with ``auto_index=True``."""

from django.db.models.signals import post_delete, post_save


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the index is rebuilt afterwards
        return
    from .indexer import index_object

    # In the same transaction as the write: the index rolls back with it.
    index_object(instance)


def _deleted(sender, instance, **kwargs):
    from .indexer import remove_object

    remove_object(instance)


def connect(model):
    uid = f"search-{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def disconnect(model):
    uid = f"search-{model._meta.label_lower}"
    post_save.disconnect(sender=model, dispatch_uid=uid)
    post_delete.disconnect(sender=model, dispatch_uid=uid)
