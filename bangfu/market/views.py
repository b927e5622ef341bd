"""Nothing here yet: this module exists so every app has the same shape."""
