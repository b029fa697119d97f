#pragma once
// The fleet's deploy lock as one SSM Parameter Store parameter ([aws] lock_parameter, default
// /drover/<fleet>/deploy-lock), shared by every operator machine:
//   acquire   PutParameter with Overwrite=false: AWS creates it only when it does not exist,
//             atomically, so of two operators exactly one succeeds; the other reads the value
//             (GetParameter) and gets LockHeld naming the holder.
//   release   GetParameter, then DeleteParameter only while the value is still ours (a lock
//             broken with --force and taken by another deploy since stays). The read and the
//             delete are two calls: a lock broken and re-taken in the milliseconds between
//             them would be removed; `drover unlock --force` is a deliberate, rare act.
//   break     `drover unlock [--force]`: GetParameter, judge_lock, DeleteParameter.
// The value is the file lock's JSON (holder, pid, started_at, deploy id, command): nothing
// secret. AWS errors other than the expected ones propagate as aws::AwsError.
#include <memory>
#include <string>

#include "cli/lock/fleet_lock.h"
#include "transport/ssm/ssm_api.h"

namespace drover::cli {

std::unique_ptr<FleetLock> make_parameter_store_lock(transport::AwsJsonCall ssm,
                                                     std::string parameter, std::string fleet,
                                                     LockEnvironment env);

}  // namespace drover::cli
