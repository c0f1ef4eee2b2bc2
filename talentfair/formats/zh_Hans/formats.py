# Django's zh_Hans formats group digits by four with no separator ("20811"); job sites in China write counts and
# figures with a comma every three digits ("20,811"), as the rest of this portal does.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
