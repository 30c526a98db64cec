from django.db import models


class ContentVersion(models.Model):
    """One row: the version of the public content (core/pagecache.py). Every committed write
    to a content table bumps it; a cached page stored at an older version is stale. Read and
    bumped with plain SQL on every anonymous page view, so it lives in the database that
    every worker and every server shares."""

    value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = "version du contenu public"

    def __str__(self):
        return str(self.value)
