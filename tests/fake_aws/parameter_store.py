"""SSM Parameter Store: PutParameter (create-if-absent is atomic), GetParameter and
DeleteParameter, as op_ methods the Ssm service class inherits.
"""
import time

from errors import ApiError, validation
from wire import ACCOUNT_ID


class ParameterStore:
    """Mixed into ssm_api.Ssm, which provides self.st."""

    def _param_name(self, req):
        name = req.get("Name")
        if not isinstance(name, str) or not name:
            raise validation("Value null at 'name' failed to satisfy constraint: Member must not "
                             "be null")
        if name.startswith("arn:"):
            name = name.split(":parameter", 1)[-1] or name
        return name

    def op_PutParameter(self, req, ctx):
        name = self._param_name(req)
        value = req.get("Value")
        if not isinstance(value, str):
            raise validation("Value null at 'value' failed to satisfy constraint: Member must "
                             "not be null")
        if len(value) > 4096:
            raise validation("Value at 'value' failed to satisfy constraint: Member must have "
                             "length less than or equal to 4096")
        ptype = req.get("Type")
        if ptype is not None and ptype not in ("String", "StringList", "SecureString"):
            raise validation(f"Value '{ptype}' at 'type' failed to satisfy constraint: Member "
                             "must satisfy enum value set: [SecureString, StringList, String]")
        with self.st.lock:  # the check and the write are one step: create-if-absent is atomic
            existing = self.st.parameters.get(name)
            if existing is not None and not req.get("Overwrite", False):
                raise ApiError("ParameterAlreadyExists", "The parameter already exists. To "
                               "overwrite this value, set the overwrite option in the request "
                               "to true.")
            if existing is None and ptype is None:
                raise validation("A parameter type is required when you create a parameter.")
            version = existing["Version"] + 1 if existing else 1
            self.st.parameters[name] = {
                "Name": name,
                "Type": ptype or existing["Type"],
                "Value": value,
                "Version": version,
                "LastModifiedDate": time.time(),
                "ARN": f"arn:aws:ssm:{ctx['region']}:{ACCOUNT_ID}:parameter"
                       + (name if name.startswith("/") else "/" + name),
                "DataType": req.get("DataType", "text"),
                "LastModifiedUser": ctx["arn"],
            }
        return {"Version": version, "Tier": req.get("Tier", "Standard")}

    def op_GetParameter(self, req, ctx):
        name = self._param_name(req)
        with self.st.lock:
            p = self.st.parameters.get(name)
            if p is None:
                raise ApiError("ParameterNotFound", "")
            out = {k: p[k] for k in ("Name", "Type", "Value", "Version", "LastModifiedDate",
                                     "ARN", "DataType")}
        return {"Parameter": out}

    def op_DeleteParameter(self, req, ctx):
        name = self._param_name(req)
        with self.st.lock:
            if name not in self.st.parameters:
                raise ApiError("ParameterNotFound", f"Parameter {name} not found.")
            del self.st.parameters[name]
        return {}
