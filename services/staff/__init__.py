"""People and who holds which role: invitations and onboarding, sections, acting officials (Plh/Plt)."""
