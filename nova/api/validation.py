"""JSON-Schema validation of bodies and query strings, Nova's messages."""

import jsonschema
from jsonschema import validators

from nova import exception

_Validator = validators.Draft4Validator


def _format_error(error):
    # absolute_path: errors inside oneOf/anyOf branches keep the field.
    path = list(error.absolute_path)
    if path:
        field = path[-1]
        return ('Invalid input for field/attribute %s. Value: %s. %s'
                % (field, error.instance, error.message))
    return error.message


def validate(body, schema):
    validator = _Validator(schema, format_checker=jsonschema.FormatChecker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise exception.ValidationError(detail=_format_error(error))


def validate_query(params, schema):
    """Query parameters arrive as lists of strings: {name: [value, ...]}."""
    validate(params, schema)


# Reusable field types.
name = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^(?!\s)(?!.*\s$)[\S ]+$',
}
description = {
    'type': ['string', 'null'], 'minLength': 0, 'maxLength': 65535,
    'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$',
}
non_negative_integer = {
    'type': ['integer', 'string'],
    'pattern': r'^[0-9]*$', 'minimum': 0, 'minLength': 1,
}
positive_integer = {
    'type': ['integer', 'string'],
    'pattern': r'^[0-9]*$', 'minimum': 1, 'minLength': 1,
}
# upstream's parameter_types.ip_address (jsonschema checks no
# 'ip-address' format).
ip_address = {'type': 'string',
              'oneOf': [{'format': 'ipv4'}, {'format': 'ipv6'}]}
boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES',
             'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF',
             'Off', 'off', 'NO', 'No', 'no'],
}
