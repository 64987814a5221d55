"""Server diagnostics in the standard form (2.48)."""

STANDARD = (2, 48)


def show(diagnostics):
    """The driver's figures with the counts upstream adds."""
    view = dict(diagnostics)
    view['num_cpus'] = len(view['cpu_details'])
    view['num_nics'] = len(view['nic_details'])
    view['num_disks'] = len(view['disk_details'])
    return view
