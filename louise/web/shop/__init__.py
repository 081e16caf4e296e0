"""The customer shop: browse, search, basket, checkout, services, orders and the account."""
