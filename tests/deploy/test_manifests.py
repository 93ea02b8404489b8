#!/usr/bin/python3
"""The manifests under deploy/ are valid for their engine and keep one
contract: each is checked against a JSON Schema of the fields it relies on
(tests/deploy/schemas; kubectl's client-side dry run needs an API server,
so it cannot check them offline), and against the others: the server
list's lines and the Job's completions, the volumes the entrypoint's
paths live on, the disks read-only, the resources one appliance run
measured, the exit codes that fail a server and the options liftcheck
actually has. The KVM variants must differ from the TCG ones only in KVM.
usage: test_manifests.py LIFTCHECK DEPLOY_DIR SCHEMA_DIR"""
import copy
import json
import os
import re
import subprocess
import sys
import unittest

import jsonschema
import yaml

LC, DEPLOY, SCHEMAS = sys.argv[1:4]
K8S = os.path.join(DEPLOY, 'kubernetes')
BATCH = os.path.join(DEPLOY, 'aws-batch')
ENTRYPOINT = '/usr/local/bin/liftcheck-wave'

# One appliance run on the Debian 12 sample image, all processes together
# (deploy/README.md says where and how it was measured).
MEASURED_PEAK_MIB = 505
MEMORY_MARGIN = 1.5
# liftcheck's --timeout stops the scan; it unwinds within 30 s (README), and
# the pod needs time to start (image, volumes) before liftcheck does.
UNWIND_S, START_S = 30, 60
# The codes the entrypoint passes through that are the server's own and come
# back the same on a retry: usage, and a disk that cannot be inspected.
NO_RETRY = {2, 3}
REPORT_WRITTEN = {0, 1, 4}     # the entrypoint exits 0 for these


def schema(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


VALIDATORS = {
    'Job': schema('kubernetes-job.schema.json'),
    'ConfigMap': schema('kubernetes-configmap.schema.json'),
    'PersistentVolumeClaim': schema('kubernetes-pvc.schema.json'),
}
BATCH_VALIDATOR = schema('aws-batch-job-definition.schema.json')


def load_yaml(name):
    with open(os.path.join(K8S, name)) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    assert len(docs) == 1, f'{name}: one object a file'
    return docs[0]


def load_json(name):
    with open(os.path.join(BATCH, name)) as f:
        return json.load(f)


def errors(validator, doc):
    return sorted(e.message for e in validator.iter_errors(doc))


def mib(quantity):
    m = re.fullmatch(r'([0-9]+)(Mi|Gi)', quantity)
    assert m, f'memory {quantity} is not in Mi or Gi'
    return int(m[1]) * (1024 if m[2] == 'Gi' else 1)


def cpu(quantity):
    return int(quantity[:-1]) / 1000 if quantity.endswith('m') else float(quantity)


def option_value(args, name):
    return args[args.index(name) + 1]


def the_container(job):
    (c,) = job['spec']['template']['spec']['containers']
    return c


def mounts(container, volumes):
    """mountPath -> (volume, mount), every mount naming a volume."""
    by_name = {v['name']: v for v in volumes}
    out = {}
    for m in container.get('volumeMounts', []):
        assert m['name'] in by_name, f"mount {m['mountPath']}: no volume {m['name']}"
        out[m['mountPath']] = (by_name[m['name']], m)
    return out


def mount_of(path, table):
    """The mount a path lives on: the longest mountPath above it."""
    best = None
    for mp in table:
        if path == mp or path.startswith(mp.rstrip('/') + '/'):
            if best is None or len(mp) > len(best):
                best = mp
    return best


class Manifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        r = subprocess.run([LC, '--help'], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        cls.help_options = set(re.findall(r'(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])', r.stdout))
        cls.help = r.stdout
        cls.k8s = {n: load_yaml(n) for n in sorted(os.listdir(K8S)) if n.endswith('.yaml')}
        cls.batch = {n: load_json(n) for n in sorted(os.listdir(BATCH)) if n.endswith('.json')}
        cls.configmap = cls.k8s['servers.configmap.yaml']
        cls.pvc = cls.k8s['wave.pvc.yaml']
        cls.waves = {n: cls.k8s[n] for n in ('wave.job.yaml', 'wave-kvm.job.yaml')}
        cls.summary = cls.k8s['summary.job.yaml']
        cls.batch_waves = {n: cls.batch[n] for n in ('wave.job-definition.json',
                                                    'wave-kvm.job-definition.json')}
        cls.batch_summary = cls.batch['summary.job-definition.json']

    # -- each file against its schema --------------------------------------
    def test_kubernetes_schemas(self):
        self.assertEqual(len(self.k8s), 5, sorted(self.k8s))
        for name, doc in self.k8s.items():
            with self.subTest(name=name):
                self.assertIn(doc.get('kind'), VALIDATORS)
                self.assertEqual(errors(VALIDATORS[doc['kind']], doc), [])

    def test_batch_schemas(self):
        self.assertEqual(len(self.batch), 3, sorted(self.batch))
        for name, doc in self.batch.items():
            with self.subTest(name=name):
                self.assertEqual(errors(BATCH_VALIDATOR, doc), [])

    def test_schemas_refuse(self):
        """The schemas can fail: each mutation must be refused."""
        job = self.waves['wave.job.yaml']

        def mutated(doc, change):
            d = copy.deepcopy(doc)
            change(d)
            return d
        job_mutations = {
            'completionMode lower case': lambda d: d['spec'].update(completionMode='indexed'),
            'misspelt field': lambda d: d['spec'].update(completionsMode='Indexed'),
            'per-index backoff, not indexed': lambda d: d['spec'].pop('completionMode'),
            'restartPolicy OnFailure with podFailurePolicy':
                lambda d: d['spec']['template']['spec'].update(restartPolicy='OnFailure'),
            'no resources': lambda d: d['spec']['template']['spec']['containers'][0].pop('resources'),
            'memory as a number': lambda d: d['spec']['template']['spec']['containers'][0]
                                            ['resources']['limits'].update(memory=1024),
            'exit code 256': lambda d: d['spec']['podFailurePolicy']['rules'][0]['onExitCodes']
                                       .update(values=[2, 256]),
            'volume of two kinds': lambda d: d['spec']['template']['spec']['volumes'][0]
                                             .update(emptyDir={}),
        }
        for what, change in job_mutations.items():
            with self.subTest(job=what):
                self.assertNotEqual(errors(VALIDATORS['Job'], mutated(job, change)), [])
        jd = self.batch_waves['wave-kvm.job-definition.json']
        batch_mutations = {
            'type': lambda d: d.update(type='docker'),
            'memory with a unit': lambda d: d['containerProperties']['resourceRequirements'][1]
                                            .update(value='1Gi'),
            'no VCPU': lambda d: d['containerProperties'].update(
                resourceRequirements=[{'type': 'MEMORY', 'value': '1024'}] * 2),
            'device permission': lambda d: d['containerProperties']['linuxParameters']['devices'][0]
                                           .update(permissions=['RW']),
            'timeout under 60 s': lambda d: d['timeout'].update(attemptDurationSeconds=30),
            'devices on Fargate': lambda d: d.update(platformCapabilities=['FARGATE']),
            'exit code pattern': lambda d: d['retryStrategy']['evaluateOnExit'][0]
                                           .update(onExitCode='2,3'),
        }
        for what, change in batch_mutations.items():
            with self.subTest(batch=what):
                self.assertNotEqual(errors(BATCH_VALIDATOR, mutated(jd, change)), [])

    # -- the Kubernetes contract ---------------------------------------------
    def servers_lines(self):
        text = self.configmap['data']['servers.txt']
        lines = text.splitlines()
        for i, line in enumerate(lines):
            self.assertTrue(line.split(), f'servers.txt line {i + 1} is empty')
        return lines

    def test_wave_jobs(self):
        lines = self.servers_lines()
        for name, job in self.waves.items():
            with self.subTest(name=name):
                spec, pod = job['spec'], job['spec']['template']['spec']
                self.assertEqual(spec['completionMode'], 'Indexed')
                self.assertEqual(spec['completions'], len(lines))
                self.assertLessEqual(spec['parallelism'], spec['completions'])
                # A server that fails for good must not stop the others.
                self.assertNotIn('maxFailedIndexes', spec)
                self.assertNotIn('activeDeadlineSeconds', spec, 'a deadline for the whole wave')
                c = the_container(job)
                self.assertEqual(c['command'], [ENTRYPOINT])
                env = {e['name']: e['value'] for e in c['env']}
                table = mounts(c, pod['volumes'])
                # The list: a key of the ConfigMap, mounted.
                srv = env['LIFTCHECK_SERVERS']
                vol, _ = table[os.path.dirname(srv)]
                self.assertEqual(vol['configMap']['name'], self.configmap['metadata']['name'])
                self.assertIn(os.path.basename(srv), self.configmap['data'])
                # The disks: read-only twice over.
                vol, m = table[env['LIFTCHECK_DISKS']]
                self.assertIs(m.get('readOnly'), True)
                self.assertIs(vol['persistentVolumeClaim'].get('readOnly'), True)
                # The reports: on the wave's claim, writable.
                vol, m = table[mount_of(env['LIFTCHECK_REPORTS'], table)]
                self.assertEqual(vol['persistentVolumeClaim']['claimName'], self.pvc['metadata']['name'])
                self.assertFalse(m.get('readOnly', False))
                self.assertIn('ReadWriteMany', self.pvc['spec']['accessModes'])
                # A read-only root: whatever liftcheck and libguestfs write
                # goes to a scratch emptyDir.
                # libguestfs's sockets go to /tmp whatever TMPDIR says.
                if c['securityContext'].get('readOnlyRootFilesystem'):
                    for path in (env['HOME'], env['TMPDIR'], env['LIBGUESTFS_CACHEDIR'], '/tmp'):
                        self.assertIn('emptyDir', table[mount_of(path, table)][0], path)
                self.assertIsNot(c['securityContext'].get('privileged'), True)
                # Resources: the measured peak with its margin, requests
                # within limits.
                res = c['resources']
                self.assertGreaterEqual(mib(res['limits']['memory']), MEASURED_PEAK_MIB * MEMORY_MARGIN)
                self.assertGreaterEqual(mib(res['requests']['memory']), MEASURED_PEAK_MIB)
                self.assertLessEqual(mib(res['requests']['memory']), mib(res['limits']['memory']))
                self.assertGreaterEqual(cpu(res['requests']['cpu']), 1)
                # The emptyDirs count against the pod's ephemeral storage:
                # full scratch volumes must not get the pod evicted.
                scratch = sum(mib(v['emptyDir']['sizeLimit']) for v in pod['volumes'] if 'emptyDir' in v)
                self.assertLessEqual(scratch, mib(res['limits']['ephemeral-storage']))
                self.assertLessEqual(cpu(res['requests']['cpu']), cpu(res['limits']['cpu']))
                # The scan stops itself, with a report, before the pod is killed.
                timeout = int(option_value(c['args'], '--timeout'))
                self.assertLessEqual(timeout + UNWIND_S + START_S, pod['activeDeadlineSeconds'])
                for opt in c['args']:
                    if opt.startswith('-'):
                        self.assertIn(opt, self.help_options)
                self.assertIn(option_value(c['args'], '--accel'), ('auto', 'kvm', 'tcg'))
                self.assertNotIn('--output-dir', c['args'], 'the entrypoint sets it')
                # Retries: not for what fails the same way again, nor for
                # a written report (those exit 0 and never reach a rule).
                rules = spec['podFailurePolicy']['rules']
                fail_index = [r for r in rules if r['action'] == 'FailIndex']
                self.assertEqual(len(fail_index), 1)
                codes = fail_index[0]['onExitCodes']
                self.assertEqual(codes['containerName'], c['name'])
                self.assertEqual(codes['operator'], 'In')
                self.assertEqual(set(codes['values']), NO_RETRY)
                self.assertFalse(NO_RETRY & REPORT_WRITTEN)
                self.assertGreaterEqual(spec['backoffLimitPerIndex'], 1)

    def test_kvm_variant(self):
        tcg = copy.deepcopy(self.waves['wave.job.yaml'])
        kvm = copy.deepcopy(self.waves['wave-kvm.job.yaml'])
        kc, tc = the_container(kvm), the_container(tcg)
        self.assertEqual(option_value(tc['args'], '--accel'), 'tcg')
        self.assertEqual(option_value(kc['args'], '--accel'), 'auto')
        self.assertEqual(kc['resources']['limits'].pop('devices.kubevirt.io/kvm'), '1')
        self.assertNotIn('devices.kubevirt.io/kvm', tc['resources']['limits'])
        for c in (kc, tc):
            c['args'][c['args'].index('--accel') + 1] = None
        self.assertEqual(kvm, tcg)

    def test_summary_job(self):
        wave = self.waves['wave.job.yaml']
        env = {e['name']: e['value'] for e in the_container(wave)['env']}
        c = the_container(self.summary)
        self.assertEqual(c['command'], ['liftcheck'])
        self.assertEqual(c['args'][:2], ['summary', env['LIFTCHECK_REPORTS']])
        self.assertIn('summary REPORT...', self.help)
        self.assertEqual(c['image'], the_container(wave)['image'])
        pod = self.summary['spec']['template']['spec']
        table = mounts(c, pod['volumes'])
        # The summary lands beside the reports, not among them (a summary
        # found among reports is refused as one).
        out = option_value(c['args'], '--output-dir')
        self.assertIsNone(mount_of(out, {env['LIFTCHECK_REPORTS']: None}))
        for path in (env['LIFTCHECK_REPORTS'], out):
            vol, m = table[mount_of(path, table)]
            self.assertEqual(vol['persistentVolumeClaim']['claimName'], self.pvc['metadata']['name'])
            self.assertFalse(m.get('readOnly', False))
        # Its exit code is the wave's gate: a retry would only say it again.
        self.assertEqual(self.summary['spec']['backoffLimit'], 0)

    # -- the AWS Batch contract, the same as the Job's -----------------------
    def test_batch_wave(self):
        pairs = {'wave.job-definition.json': 'wave.job.yaml',
                 'wave-kvm.job-definition.json': 'wave-kvm.job.yaml'}
        for bname, kname in pairs.items():
            with self.subTest(name=bname):
                jd, job = self.batch_waves[bname], self.waves[kname]
                cp, c = jd['containerProperties'], the_container(job)
                self.assertEqual(cp['image'], c['image'])
                self.assertEqual(cp['command'], c['command'] + c['args'])
                req = {r['type']: r['value'] for r in cp['resourceRequirements']}
                self.assertEqual(int(req['MEMORY']), mib(c['resources']['limits']['memory']))
                self.assertGreaterEqual(float(req['VCPU']), cpu(c['resources']['requests']['cpu']))
                self.assertEqual(jd['timeout']['attemptDurationSeconds'],
                                 job['spec']['template']['spec']['activeDeadlineSeconds'])
                self.assertIn('EC2', jd['platformCapabilities'])
                env = {e['name']: e['value'] for e in cp['environment']}
                kenv = {e['name']: e['value'] for e in c['env']}
                for var in ('LIFTCHECK_DISKS', 'LIFTCHECK_REPORTS', 'LIBGUESTFS_BACKEND'):
                    self.assertEqual(env[var], kenv[var], var)
                vols = {v['name']: v for v in cp['volumes']}
                table = {}
                for mp in cp['mountPoints']:
                    self.assertIn(mp['sourceVolume'], vols)
                    table[mp['containerPath']] = mp
                self.assertIs(table[env['LIFTCHECK_DISKS']].get('readOnly'), True)
                self.assertIsNotNone(mount_of(env['LIFTCHECK_SERVERS'], table))
                self.assertFalse(table[mount_of(env['LIFTCHECK_REPORTS'], table)].get('readOnly', False))
                # Retries: EXIT on the codes the Job fails an index for.
                rs = jd['retryStrategy']
                self.assertGreaterEqual(rs['attempts'], 2)
                exits = {int(r['onExitCode']) for r in rs['evaluateOnExit'] if r['action'] == 'EXIT'}
                self.assertEqual(exits, NO_RETRY)
                self.assertEqual(rs['evaluateOnExit'][-1], {'onReason': '*', 'action': 'RETRY'})
                self.assertIsNot(cp.get('privileged'), True)

    def test_batch_kvm_variant(self):
        tcg = copy.deepcopy(self.batch_waves['wave.job-definition.json'])
        kvm = copy.deepcopy(self.batch_waves['wave-kvm.job-definition.json'])
        self.assertEqual(kvm['containerProperties']['linuxParameters'].pop('devices'), [
            {'hostPath': '/dev/kvm', 'containerPath': '/dev/kvm', 'permissions': ['READ', 'WRITE']}])
        self.assertNotIn('devices', tcg['containerProperties']['linuxParameters'])
        self.assertEqual(kvm.pop('jobDefinitionName'), 'liftcheck-wave-kvm')
        tcg.pop('jobDefinitionName')
        for jd in (kvm, tcg):
            cmd = jd['containerProperties']['command']
            cmd[cmd.index('--accel') + 1] = None
        self.assertEqual(kvm, tcg)

    def test_batch_summary(self):
        cp = self.batch_summary['containerProperties']
        self.assertEqual(cp['command'], [the_container(self.summary)['command'][0]]
                         + the_container(self.summary)['args'])
        self.assertEqual(self.batch_summary['retryStrategy']['attempts'], 1)
        wave_vols = {v['name']: v for v in self.batch_waves['wave.job-definition.json']
                     ['containerProperties']['volumes']}
        for v in cp['volumes']:
            self.assertEqual(v, wave_vols[v['name']])


if __name__ == '__main__':
    unittest.main(argv=sys.argv[:1], verbosity=2)
