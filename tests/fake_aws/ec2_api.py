"""EC2 DescribeInstances (ec2 query protocol): instance ids, filters, pagination and the
reservationSet XML.
"""
import re
from xml.sax.saxutils import escape

from errors import ApiError
from model import INSTANCE_STATE_CODES
from pagination import page
from wire import ACCOUNT_ID, iso


def ec2_describe_instances(st, params):
    ids = [v for k, v in sorted(params.items(), key=lambda kv: _index(kv[0]))
           if re.fullmatch(r"InstanceId\.\d+", k)]
    filters = {}
    for k, v in params.items():
        m = re.fullmatch(r"Filter\.(\d+)\.Name", k)
        if m:
            n = m.group(1)
            vals = [vv for kk, vv in params.items() if re.fullmatch(rf"Filter\.{n}\.Value\.\d+", kk)]
            filters.setdefault(v, set()).update(vals)
    preds = []
    for name, vals in filters.items():
        if name.startswith("tag:"):
            preds.append(lambda i, t=name[4:], vs=vals: i.tags.get(t) in vs)
        elif name == "tag-key":
            preds.append(lambda i, vs=vals: bool(vs & set(i.tags)))
        elif name == "tag-value":
            preds.append(lambda i, vs=vals: bool(vs & set(i.tags.values())))
        elif name == "instance-state-name":
            preds.append(lambda i, vs=vals: i.state in vs)
        elif name == "instance-id":
            preds.append(lambda i, vs=vals: i.id in vs)
        elif name == "private-ip-address":
            preds.append(lambda i, vs=vals: i.ip in vs)
        else:
            raise ApiError("InvalidParameterValue",
                           f"The filter '{name}' is invalid", status=400)
    with st.lock:
        if ids:
            missing = [i for i in ids if i not in st.instances]
            if missing:
                raise ApiError("InvalidInstanceID.NotFound",
                               f"The instance ID{'s' if len(missing) > 1 else ''} "
                               f"'{', '.join(missing)}' do{'' if len(missing) > 1 else 'es'} "
                               "not exist")
        rows = [i for i in st.instances.values()
                if (not ids or i.id in ids) and all(p(i) for p in preds)]
        rows.sort(key=lambda i: i.id)
        nxt = None
        if "MaxResults" in params:
            if ids:
                raise ApiError("InvalidParameterCombination", "The parameter instancesSet cannot "
                               "be used with the parameter maxResults")
            try:
                mr = int(params["MaxResults"])
            except ValueError:
                mr = -1
            if mr < 5 or mr > 1000:
                raise ApiError("InvalidParameterValue", f"Value ( {params['MaxResults']} ) for "
                               "parameter maxResults is invalid. Expecting a value between 5 "
                               "and 1000.")
            try:
                rows, nxt = page(rows, {"MaxResults": mr, "NextToken": params.get("NextToken")},
                                 mr, 5, 1000)
            except ApiError:
                raise ApiError("InvalidParameterValue", "Invalid value for 'nextToken'")
        body = ["<reservationSet>"]
        for i in rows:
            body.append(ec2_reservation_xml(i))
        body.append("</reservationSet>")
        if nxt:
            body.append(f"<nextToken>{escape(nxt)}</nextToken>")
    return "".join(body)


def _index(key):
    m = re.search(r"\.(\d+)$", key)
    return int(m.group(1)) if m else 0


def ec2_reservation_xml(i):
    e = escape
    tags = "".join(f"<item><key>{e(k)}</key><value>{e(v)}</value></item>"
                   for k, v in sorted(i.tags.items()))
    code = INSTANCE_STATE_CODES.get(i.state, 16)
    private_dns = "ip-" + i.ip.replace(".", "-") + ".ec2.internal"
    return (
        "<item>"
        f"<reservationId>{e(i.reservation_id)}</reservationId>"
        f"<ownerId>{ACCOUNT_ID}</ownerId>"
        "<groupSet/>"
        "<instancesSet><item>"
        f"<instanceId>{e(i.id)}</instanceId>"
        f"<imageId>{e(i.image_id)}</imageId>"
        f"<instanceState><code>{code}</code><name>{e(i.state)}</name></instanceState>"
        f"<privateDnsName>{e(private_dns)}</privateDnsName>"
        "<dnsName/>"
        "<reason/>"
        "<amiLaunchIndex>0</amiLaunchIndex>"
        "<productCodes/>"
        f"<instanceType>{e(i.instance_type)}</instanceType>"
        f"<launchTime>{iso(i.launch_time, True)}</launchTime>"
        f"<placement><availabilityZone>{e(i.availability_zone)}</availabilityZone>"
        "<groupName/><tenancy>default</tenancy></placement>"
        "<monitoring><state>disabled</state></monitoring>"
        "<subnetId>subnet-0123456789abcdef0</subnetId>"
        "<vpcId>vpc-0123456789abcdef0</vpcId>"
        f"<privateIpAddress>{e(i.ip)}</privateIpAddress>"
        "<sourceDestCheck>true</sourceDestCheck>"
        "<groupSet/>"
        "<architecture>x86_64</architecture>"
        "<rootDeviceType>ebs</rootDeviceType>"
        "<rootDeviceName>/dev/xvda</rootDeviceName>"
        "<blockDeviceMapping/>"
        "<virtualizationType>hvm</virtualizationType>"
        f"<tagSet>{tags}</tagSet>"
        "<hypervisor>xen</hypervisor>"
        "<networkInterfaceSet/>"
        "<ebsOptimized>false</ebsOptimized>"
        "</item></instancesSet>"
        "</item>"
    )
