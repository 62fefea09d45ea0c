"""Simulated devices on real pseudo-terminals, for tests and `frontdesk devices simulate`."""
