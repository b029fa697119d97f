#pragma once
// A bounded pool of worker threads: tasks run in the order they were submitted, at most
// `max_workers` at a time. Workers start only when a task finds none idle, so a pool allowed
// 10,000 workers that is given 3 tasks starts 3 threads; they end when the pool is destroyed.
// drover's rollout (a window of hosts in flight) and its fleet checks (16 hosts asked at a
// time) run their agent calls on it: a 10,000-host plan holds the window's threads, never one
// per host.
//
// A task that throws does not take its worker down: the first exception is kept for wait() to
// rethrow once every task has ended (the destructor, which must not throw, drops it).
// Invariant: workers() ≤ max_workers; every submitted task runs exactly once.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace drover {

class WorkerPool {
 public:
  /// `max_workers` 0 counts as 1.
  explicit WorkerPool(std::size_t max_workers);
  /// Lets every submitted task finish, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `task`; it starts as soon as a worker is free (a new one when none is idle and
  /// fewer than max_workers exist).
  void submit(std::function<void()> task);
  /// Blocks until every task submitted so far has ended; rethrows the first exception a task
  /// threw (once).
  void wait();
  /// The worker threads started so far.
  std::size_t workers() const;

 private:
  void work();

  const std::size_t max_workers_;
  mutable std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable all_ended_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;        // workers waiting for a task
  std::size_t unfinished_ = 0;  // submitted and not yet ended
  bool stopping_ = false;
  std::exception_ptr failure_;
};

}  // namespace drover
