#include "util/worker_pool.h"

#include <algorithm>
#include <utility>

namespace drover {

WorkerPool::WorkerPool(std::size_t max_workers)
    : max_workers_(std::max<std::size_t>(max_workers, 1)) {}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  task_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void WorkerPool::submit(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  tasks_.push_back(std::move(task));
  ++unfinished_;
  // Every queued task beyond the idle workers would wait for a busy one: start a worker for
  // it while the bound allows.
  if (tasks_.size() > idle_ && workers_.size() < max_workers_) {
    try {
      workers_.emplace_back([this] { work(); });
      return;
    } catch (...) {
      // No thread to be had (a process limit): a busy worker takes the task when it is free;
      // with no worker at all nobody ever would, so the task is refused.
      if (workers_.empty()) {
        tasks_.pop_back();
        --unfinished_;
        throw;
      }
    }
  }
  task_ready_.notify_one();
}

void WorkerPool::wait() {
  std::unique_lock lock(mutex_);
  all_ended_.wait(lock, [this] { return unfinished_ == 0; });
  if (auto failure = std::exchange(failure_, nullptr)) std::rethrow_exception(failure);
}

std::size_t WorkerPool::workers() const {
  std::lock_guard lock(mutex_);
  return workers_.size();
}

void WorkerPool::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    task_ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    --idle_;
    // Stopping only once the queue is empty: the destructor lets every task run.
    if (tasks_.empty()) return;
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    try {
      task();
    } catch (...) {
      lock.lock();
      if (!failure_) failure_ = std::current_exception();
      lock.unlock();
    }
    lock.lock();
    if (--unfinished_ == 0) all_ended_.notify_all();
  }
}

}  // namespace drover
