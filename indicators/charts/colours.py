"""The charts' colours: GOV.UK Frontend's (govuk-colour), as the status tags and links use them."""

from django.utils.safestring import SafeString

BLACK = "#0b0c0c"
BLUE = "#1d70b8"
LIGHT_BLUE = "#d2e2f1"  # blue at 20% on white
GREEN = "#00703c"
YELLOW = "#ffdd00"
RED = "#d4351c"
MID_GREY = "#b1b4b6"
DARK_GREY = "#505a5f"

# What a chart function returns when it has nothing to draw.
NOTHING = SafeString("")
