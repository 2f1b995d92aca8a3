#include "standin/standin_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

namespace samvad::test {

namespace {

using json = nlohmann::json;

size_t append_to_string(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// One unsigned request to the control API: the status and the body, or an exception.
json control_request(const std::string& url, const char* method, const std::string* body) {
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  CURL* curl = curl_ready ? curl_easy_init() : nullptr;
  if (!curl) throw std::runtime_error("libcurl failed to start");
  std::string response;
  curl_slist* headers = nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (body) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  const std::string what = std::string(method) + " " + url;
  if (code != CURLE_OK) throw std::runtime_error(what + ": " + curl_easy_strerror(code));
  if (status < 200 || status > 299)
    throw std::runtime_error(what + ": HTTP " + std::to_string(status) + " " + response);
  json parsed = json::parse(response, nullptr, false);
  if (parsed.is_discarded()) throw std::runtime_error(what + ": the answer is not JSON: " + response);
  return parsed;
}

}  // namespace

StandinProcess::StandinProcess() = default;

StandinProcess::~StandinProcess() { stop(); }

json StandinProcess::default_accounts() {
  return json{{"consumer_key", "standin-ck"},
              {"consumer_secret", "standin-cs"},
              {"pin", "1234567"},
              {"authorize_as", "1001"},
              {"accounts",
               {{{"user_id", "1001"},
                 {"username", "PCMCWaterSupply"},
                 {"name", "PCMC Water Supply"},
                 {"access_token", "1001-token"},
                 {"access_token_secret", "1001-secret"}},
                {{"user_id", "1002"},
                 {"username", "PCMCElectricity"},
                 {"name", "PCMC Electricity"},
                 {"access_token", "1002-token"},
                 {"access_token_secret", "1002-secret"}}}}};
}

void StandinProcess::start(const json& accounts, const std::vector<std::string>& extra_args) {
  if (running()) throw std::logic_error("the X stand-in is already running");
  dir_ = std::make_unique<TempDir>();
  const auto accounts_path = dir_->write("accounts.json", accounts.dump(2));
  const std::string stderr_path = (dir_->path() / "stderr.txt").string();

  std::vector<std::string> argv{SAMVAD_X_STANDIN, "--port", "0", "--accounts", accounts_path.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a test run that crashed
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (err < 0 || ::dup2(out[1], STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0) ::_exit(127);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  pid_ = pid;

  // Read up to the first newline: "listening on 127.0.0.1:PORT".
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    char buffer[256];
    const ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n <= 0) break;  // it exited or closed stdout
    line.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(out[0]);

  const std::string prefix = "listening on 127.0.0.1:";
  if (line.starts_with(prefix) && line.find('\n') != std::string::npos) {
    port_ = std::stoi(line.substr(prefix.size()));
    base_url_ = "http://127.0.0.1:" + std::to_string(port_);
    return;
  }
  const int status = stop();
  throw std::runtime_error("the X stand-in did not start (exit status " + std::to_string(status) + ", stdout \"" +
                           line + "\"): " + stderr_text());
}

int StandinProcess::stop() {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  pid_t done = 0;
  while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done == 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string StandinProcess::stderr_text() const {
  if (!dir_) return "";
  try {
    return read_file(dir_->path() / "stderr.txt");
  } catch (const std::exception&) {
    return "";
  }
}

json StandinProcess::get(const std::string& path) const { return control_request(base_url_ + path, "GET", nullptr); }

json StandinProcess::post_json(const std::string& path, const json& body) const {
  const std::string text = body.dump();
  return control_request(base_url_ + path, "POST", &text);
}

}  // namespace samvad::test
