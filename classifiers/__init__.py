"""Pure text → topic scores. No I/O here except loading and saving models."""

from classifiers.base import Document, TopicClassifier, TopicRule, TopicScore

__all__ = ["Document", "TopicClassifier", "TopicRule", "TopicScore"]
