"""The composition root: settings, the command line, wiring of core and channels, the scheduler."""
