"""Form helpers every app's views share."""

from django.core.exceptions import ValidationError


def form_errors_from(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form (unknown fields become non-field errors)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
