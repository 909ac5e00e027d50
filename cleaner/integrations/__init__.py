"""Adapters that run cleaner inside other engines (datatrove). Each needs its extra installed."""
