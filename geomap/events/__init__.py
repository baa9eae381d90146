"""Event reading: incidents from the linguistic structure of news sentences.

One module per step, each a registered spaCy component (Doc in, Doc out; settings in its config)
except the first and the last two:

* :mod:`~geomap.events.cues` -- which sentences hold an event word (no parse needed);
* :mod:`~geomap.events.excerpt` -- those sentences as a Doc of their own, for the parser;
* :mod:`~geomap.events.triggers` -- event words checked for sense, arms and actuality, typed;
* :mod:`~geomap.events.sides` -- who acted and who was hit;
* :mod:`~geomap.events.dates` -- when;
* :mod:`~geomap.events.figures` -- how many were killed and injured;
* :mod:`~geomap.events.places` -- where, with place sanity;
* :mod:`~geomap.events.incidents` -- an article's mentions joined into its incidents;
* :mod:`~geomap.events.merge` -- reports of one event from several articles joined;
* :mod:`~geomap.events.reader` -- the two pipelines run over articles.
"""

from __future__ import annotations

from geomap.events.merge import merge
from geomap.events.reader import EventReader, load_event_pipeline

__all__ = ["EventReader", "load_event_pipeline", "merge"]
