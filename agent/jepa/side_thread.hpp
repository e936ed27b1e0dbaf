// SideThread: the one side-thread primitive of the training loops, a second thread kept for a whole
// loop (the level-1 predictor polish runs half of each batch on it).
#pragma once
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace hjepa {

// A second thread kept for a whole loop: run(mine, side) runs side() there and mine() here and
// returns when both are done, rethrowing either's exception. (A fresh std::thread per polish step
// ran no faster than one thread: each new thread faulted its buffers in again.)
class SideThread {
 public:
  SideThread() : thread_([this] { loop(); }) {}
  ~SideThread() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  SideThread(const SideThread&) = delete;
  SideThread& operator=(const SideThread&) = delete;

  template <typename Mine, typename Side>
  void run(Mine&& mine, Side&& side) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      job_ = std::forward<Side>(side);
      pending_ = true;
      error_ = nullptr;
    }
    wake_.notify_all();
    std::exception_ptr my_error;
    try {
      mine();
    } catch (...) {
      my_error = std::current_exception();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return !pending_; });
    if (my_error) std::rethrow_exception(my_error);
    if (error_) std::rethrow_exception(error_);
  }

  // The same, and when either job throws, stop() is called at once (from that job's thread) so the
  // other can end early; run() then waits for it and rethrows.
  template <typename Mine, typename Side, typename Stop>
  void run(Mine&& mine, Side&& side, Stop&& stop) {
    const auto stopping = [&stop](auto& job) {
      return [&job, &stop] {
        try {
          job();
        } catch (...) {
          stop();
          throw;
        }
      };
    };
    run(stopping(mine), stopping(side));
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return pending_ || quit_; });
      if (!pending_) return;  // quit with nothing to do
      lock.unlock();
      std::exception_ptr e;
      try {
        job_();
      } catch (...) {
        e = std::current_exception();
      }
      lock.lock();
      error_ = e;
      pending_ = false;
      wake_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> job_;
  bool pending_ = false, quit_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: it starts after the members it uses exist
};

}  // namespace hjepa
