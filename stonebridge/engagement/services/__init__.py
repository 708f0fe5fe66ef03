"""Every change to engagement data, one module per concept. Each service is keyword-only, atomic,
and writes one audit entry in the buyer's log (`notices.log`); callers import the concept's
module, never this package.

- `relationships`: the relationship with a supplier's site, sharing, the code of conduct
- `suppliers`: finding or creating the supplier's organisation and inviting its first person
- `plans`: improvement plans and their actions, progress reports, due dates
- `measures`: milestones and outcome measurements, confirmed ones sent to risk as evidence
- `support`: support given and orders placed (purchasing practices)
- `disclosure`: the buyer's requests, and what the supplier discloses
- `escalation`: escalation steps, the exit plan and the end of the relationship, red flags
- `notices`: the audit entry and who is told about a change
- `attachments`: checking the files sent with a report

Verified actions and confirmed outcome measurements go to risk as evidence (DESIGN.md, rule 5).
"""
