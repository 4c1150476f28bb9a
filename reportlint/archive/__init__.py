"""Archive-scale copy detection: an index of past documents to check drafts against.

``reportlint index build ARCHIVE --index PATH`` keeps, for every paragraph of every
archived document, exact fingerprints of its normalised text and sentences and a MinHash
signature in LSH tables; ``reportlint check draft.txt --against PATH`` reports the
paragraphs and passages copied from the archive (DUP006-DUP008).

- ``features``: what is kept of a document (computed alike when indexing and querying);
- ``store``: where it is kept: a SQLite file (default) or Redis (``redis_store``);
- ``index``: building and updating, incremental, in worker processes or on Dask;
- ``query``: finding the copies of one document;
- ``commands``: the ``reportlint index`` commands.

Nothing here is imported by a plain ``reportlint check``.
"""
