"""Reports computed from orders: no tables of their own, so they are always up to date."""
