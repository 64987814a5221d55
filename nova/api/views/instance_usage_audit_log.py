"""The usage audit of one audit period over the compute hosts."""


def audit(begin, end, hosts, task_logs):
    """hosts: the compute hosts; task_logs: the audit task's records of
    the period ({'host', 'state', 'task_items', 'errors', 'message'}):
    none while no usage audit runs."""
    hosts = set(hosts)
    seen = {log['host'] for log in task_logs}
    done = {log['host'] for log in task_logs if log['state'] == 'DONE'}
    running = {log['host'] for log in task_logs
               if log['state'] == 'RUNNING'}
    errors = sum(log['errors'] for log in task_logs)
    not_run = sorted(hosts - seen)
    done_text = ('ALL' if len(done) == len(hosts)
                 else '%d of %d' % (len(done), len(hosts)))
    return {
        'period_beginning': str(begin), 'period_ending': str(end),
        'num_hosts': len(hosts), 'num_hosts_done': len(done),
        'num_hosts_running': len(running), 'num_hosts_not_run': len(not_run),
        'hosts_not_run': not_run,
        'total_instances': sum(log['task_items'] for log in task_logs),
        'total_errors': errors,
        'overall_status': '%s hosts done. %d errors.' % (done_text, errors),
        'log': {log['host']: {'state': log['state'],
                              'instances': log['task_items'],
                              'errors': log['errors'],
                              'message': log['message']}
                for log in task_logs},
    }
