from .navigation import navigation

__all__ = ["navigation"]
