"""Rules, one module per rule or small family; every module here is imported automatically."""
