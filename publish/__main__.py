"""`python -m publish`: publish the warehouse (PPF_WAREHOUSE) into PPF_RELEASES (default releases/)."""

import sys

from extract.config import get_settings
from publish.release import main

sys.exit(main(get_settings()))
