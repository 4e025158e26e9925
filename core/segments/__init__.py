"""Segmentation: named conditions over the profile, kept up to date live and in batch.

* live: after each profile save, the enabled segments are re-evaluated; entering or
  leaving one updates the profile's ``segments`` list in the same save, is recorded
  in ``segment_history`` and emitted as a ``segment-entered`` / ``segment-left``
  internal event that flow rules can react to;
* batch: creating or changing a segment recomputes every profile's membership in
  the background (store queries when the condition translates, streamed
  evaluation otherwise), with progress in ``segment_jobs``;
* sizes are sampled into ``segment_sizes`` after each recompute and periodically.

Conditions use the condition language (:mod:`cairn.core.conditions`) over the
``profile`` root, plus ``events_count(type[, window])`` and ``visits([window])``.
"""

from .compiled import CompiledSegment, check_condition, compile_segment
from .config import SegmentOptions
from .events import EVENT_TYPES, INTERNAL_SOURCE
from .functions import HISTORY_FUNCTIONS, ProfileHistory
from .models import Segment, SegmentError, SegmentJob, SizeSample, Transition
from .preview import Preview, PreviewFailed
from .service import SegmentInvalid, SegmentService

__all__ = [
    "EVENT_TYPES", "HISTORY_FUNCTIONS", "INTERNAL_SOURCE", "CompiledSegment", "Preview", "PreviewFailed",
    "ProfileHistory", "Segment", "SegmentError", "SegmentInvalid", "SegmentJob", "SegmentOptions",
    "SegmentService", "SizeSample", "Transition", "check_condition", "compile_segment",
]
