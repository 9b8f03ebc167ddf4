"""What the chapters need beside the mathematics: exercises checked in JupyterLab and on the
website, and detection of a site build."""
