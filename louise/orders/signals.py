"""What the orders layer tells the layers above it, so it never has to import them."""

from django.dispatch import Signal

# Sent by `order_transition` inside its transaction, after the status and its audit event
# are saved. Arguments: order, event (the lifecycle event's name, e.g. "mark_ready"),
# before (the previous status), now (when it happened). A receiver that raises rolls the
# whole change back, so legs and status cannot disagree.
order_changed = Signal()
