"""Every change to assessments data, one module per concept. Each service is keyword-only,
atomic, and writes one audit entry; callers import the concept's module, never this package.

- `questionnaires`: questionnaires and their versions, the XLSForm import, the supplier's
  answers, follow-ups, acceptance (adverse answers become risk evidence) and sharing
"""
