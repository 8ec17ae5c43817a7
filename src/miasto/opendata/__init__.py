"""Open data for third parties: the OpenAPI document of ``/api/v1`` and its reference page,
the DCAT-AP-PL catalogue (``/catalog.*``) and the CKAN-compatible Action API
(``/api/3/action/…``). A screens app: it reads the data hub through its selectors."""
