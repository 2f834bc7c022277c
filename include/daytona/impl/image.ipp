// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of image.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_IMAGE_IPP
#define DAYTONA_IMPL_IMAGE_IPP

#include "daytona/image.hpp"

#include "daytona/detail/dockerfile_scan.hpp"
#include "daytona/detail/js_path.hpp"
#include "daytona/detail/js_text.hpp"
#include "daytona/detail/pyproject.hpp"
#include "daytona/detail/shell_quote_js.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

DAYTONA_BEGIN_NAMESPACE

namespace detail::image_rules {

/// How a value lands in the Dockerfile, which decides what it may contain.
enum class placement {
    raw,       ///< raw Dockerfile text, or a JSON string element
    quoted,    ///< shell-quoted on one line
    verbatim,  ///< written as it is on one line
};

/// What is wrong with `s` in that placement, or "" when nothing is.
inline std::string_view problem(std::string_view s, placement where) {
    if (s.find('\0') != std::string_view::npos) return "contains a NUL character";
    if (!js::is_valid_utf8(s))
        return "is not valid UTF-8 (the Dockerfile is sent as a JSON string)";
    if (where == placement::raw) return {};
    if (s.find_first_of("\n\r") != std::string_view::npos)
        return "contains a line break, which would end the Dockerfile instruction and start "
               "another";
    if (where == placement::verbatim) {
        std::string_view t = s;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
            t.remove_suffix(1);
        if (!t.empty() && t.back() == '\\')
            return "ends with a backslash, which would continue the instruction onto the next "
                   "line";
    }
    return {};
}

/// A word of a shell-form RUN that Docker reads as a heredoc opener (`<<EOF`, `2<<-EOF`): the
/// lines after the instruction would become its body.
inline bool has_heredoc(std::string_view command) {
    std::size_t i = 0;
    while (i < command.size()) {
        std::size_t next = i;
        while (i < command.size() && js::is_go_space(js::next_code_point(command, next = i)))
            i = next;
        std::size_t start = i;
        char quote = 0;
        while (i < command.size()) {
            char c = command[i];
            if (quote != 0) {
                if (c == quote) quote = 0;
                if (c == '\\' && quote == '"') ++i;
                ++i;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                ++i;
                continue;
            }
            if (c == '\\') {
                i += 2;
                continue;
            }
            std::size_t after = i;
            if (js::is_go_space(js::next_code_point(command, after))) break;
            i = after;
        }
        std::string_view word = command.substr(start, std::min(i, command.size()) - start);
        std::size_t k = 0;
        while (k < word.size() && word[k] >= '0' && word[k] <= '9')
            ++k;
        if (word.substr(k, 2) == "<<") {
            k += 2;
            if (k < word.size() && word[k] == '-') ++k;
            std::string_view rest = word.substr(k);
            if (!rest.empty() && rest.find('<') == std::string_view::npos) return true;
        }
    }
    return false;
}

/// The COPY instruction: the shell form as the official SDK writes it, or the JSON form when a
/// path would be split or misread there (whitespace, a leading `-` taken for a flag, `<<`).
inline std::string copy_line(std::string_view source, std::string_view destination) {
    auto needs_json = [](std::string_view p) {
        return js::contains_go_space(p) || (!p.empty() && p.front() == '-') ||
               p.find("<<") != std::string_view::npos;
    };
    if (needs_json(source) || needs_json(destination))
        return "COPY " + js::json_string_array({std::string(source), std::string(destination)}) +
               "\n";
    std::string line = "COPY ";
    line += source;
    line += ' ';
    line += destination;
    line += '\n';
    return line;
}

/// Problems of a COPY path beyond those of its placement: quotes, `\` and `$` mean something
/// to Docker's lexer, and (for a local source) `*`, `?` and `[` make a glob.
inline std::string_view copy_path_problem(std::string_view p, bool source) {
    if (auto bad = problem(p, placement::verbatim); !bad.empty()) return bad;
    if (p.empty()) return "is empty";
    if (p.find_first_of("'\"\\$") != std::string_view::npos)
        return "contains a quote, a backslash or '$', which Docker's COPY would interpret";
    if (source && p.find_first_of("*?[") != std::string_view::npos)
        return "contains '*', '?' or '[', which Docker's COPY would read as a glob pattern";
    return {};
}

inline std::string strip_leading_separators(std::string_view p) {
    while (!p.empty() && (p.front() == '/' || p.front() == '\\'))
        p.remove_prefix(1);
    return std::string(p);
}

}  // namespace detail::image_rules

image& image::refuse(std::string_view method, std::string_view argument, std::string_view problem,
                     errc code) {
    if (!error_) {
        std::string message = "argument '";
        message += argument;
        message += "' of image::";
        message += method;
        message += ' ';
        message += problem;
        error_.emplace(make_error_code(code),
                       error_info{.message = std::move(message),
                                  .operation = "image::" + std::string(method)});
    }
    return *this;
}

void image::append(std::string_view text) {
    if (!dockerfile_.empty() && dockerfile_.back() != '\n') dockerfile_ += '\n';
    dockerfile_ += text;
}

image image::base(std::string_view image_ref) {
    using namespace detail::image_rules;
    image img;
    if (auto bad = problem(image_ref, placement::verbatim); !bad.empty())
        img.refuse("base", "image_ref", bad);
    else if (detail::js::trim(image_ref).empty())
        img.refuse("base", "image_ref", "is empty");
    else
        img.dockerfile_ = "FROM " + std::string(image_ref) + "\n";
    return img;
}

image image::debian_slim(std::string_view python_version) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> versions{{
        {"3.9", "3.9.22"},
        {"3.10", "3.10.17"},
        {"3.11", "3.11.12"},
        {"3.12", "3.12.10"},
        {"3.13", "3.13.3"},
    }};
    image img;
    std::string_view series = python_version.empty() ? std::string_view("3.13") : python_version;
    std::string full;
    for (const auto& [s, micro] : versions) {
        if (series == s) full = micro;
        // A full X.Y.Z of a supported series is used as given.
        if (series.size() > s.size() + 1 && series.substr(0, s.size()) == s &&
            series[s.size()] == '.' &&
            std::all_of(series.begin() + static_cast<std::ptrdiff_t>(s.size()) + 1, series.end(),
                        [](char c) { return c >= '0' && c <= '9'; }))
            full = series;
    }
    if (full.empty()) {
        std::string what = "is not a supported Python version (";
        if (detail::image_rules::problem(series, detail::image_rules::placement::verbatim).empty())
            what += "'" + std::string(series) + "'; ";
        what += "Daytona supports the series 3.9, 3.10, 3.11, 3.12 and 3.13)";
        img.refuse("debian_slim", "python_version", what);
        return img;
    }
    img.dockerfile_ = "FROM python:" + full +
                      "-slim-bookworm\n"
                      "RUN apt-get update\n"
                      "RUN apt-get install -y gcc gfortran build-essential\n"
                      "RUN pip install --upgrade pip\n"
                      "RUN echo 'debconf debconf/frontend select Noninteractive' | "
                      "debconf-set-selections\n";
    return img;
}

image image::from_dockerfile(std::string_view path) {
    using namespace detail::image_rules;
    namespace fs = std::filesystem;
    image img;
    if (auto bad = problem(path, placement::quoted); !bad.empty()) {
        img.refuse("from_dockerfile", "path", bad);
        return img;
    }
    std::string expanded = detail::js::pathe_resolve(detail::js::expand_tilde(path));
    std::error_code ec;
    auto st = fs::status(expanded, ec);
    if (!fs::exists(st)) {
        img.refuse("from_dockerfile", "path",
                   "names '" + std::string(path) + "', which does not exist", errc::io_error);
        return img;
    }
    if (!fs::is_regular_file(st)) {
        img.refuse("from_dockerfile", "path",
                   "names '" + std::string(path) + "', which exists but is not a file");
        return img;
    }
    std::ifstream in(expanded, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) {
        img.refuse("from_dockerfile", "path",
                   "names '" + std::string(path) + "', which cannot be read", errc::io_error);
        return img;
    }
    if (auto bad = problem(content, placement::raw); !bad.empty()) {
        img.refuse("from_dockerfile", "path",
                   "names a Dockerfile whose content " + std::string(bad));
        return img;
    }
    img.dockerfile_ = std::move(content);
    const std::string prefix = detail::js::pathe_dirname(expanded) + "/";
    for (auto& src : detail::dockerfile::extract_copy_sources(img.dockerfile_, prefix)) {
        std::string archive;
        if (detail::js::pathe_is_absolute(src.operand))
            archive = src.path;
        else if (src.path.compare(0, prefix.size(), prefix) == 0)
            archive = strip_leading_separators(std::string_view(src.path).substr(prefix.size()));
        else
            archive = strip_leading_separators(src.path);
        img.context_.push_back({std::move(src.path), std::move(archive)});
    }
    return img;
}

image& image::apt_get(string_list packages) & {
    using namespace detail::image_rules;
    for (const auto& p : packages) {
        if (auto bad = problem(p, placement::quoted); !bad.empty())
            return refuse("apt_get", "packages", bad);
        if (p.empty()) return refuse("apt_get", "packages", "contains an empty name");
    }
    if (packages.empty()) return *this;
    std::string line = "RUN apt-get update && apt-get install -y";
    for (const auto& p : packages) {
        line += ' ';
        detail::js::append_shell_quoted(line, p);
    }
    line += " && rm -rf /var/lib/apt/lists/*\n";
    append(line);
    return *this;
}

std::optional<std::string> image::pip_arguments(std::string_view method, const pip_options& o) {
    using namespace detail::image_rules;
    std::string extra;
    for (const auto& link : o.find_links) {
        if (auto bad = problem(link, placement::quoted); !bad.empty()) {
            refuse(method, "options.find_links", bad);
            return std::nullopt;
        }
        extra += " --find-links ";
        detail::js::append_shell_quoted(extra, link);
    }
    if (!o.index_url.empty()) {
        if (auto bad = problem(o.index_url, placement::quoted); !bad.empty()) {
            refuse(method, "options.index_url", bad);
            return std::nullopt;
        }
        extra += " --index-url ";
        detail::js::append_shell_quoted(extra, o.index_url);
    }
    for (const auto& url : o.extra_index_urls) {
        if (auto bad = problem(url, placement::quoted); !bad.empty()) {
            refuse(method, "options.extra_index_urls", bad);
            return std::nullopt;
        }
        extra += " --extra-index-url ";
        detail::js::append_shell_quoted(extra, url);
    }
    if (o.pre) extra += " --pre";
    if (!o.extra_options.empty()) {
        auto trimmed = detail::js::trim(o.extra_options);
        if (auto bad = problem(o.extra_options, placement::raw); !bad.empty()) {
            refuse(method, "options.extra_options", bad);
            return std::nullopt;
        }
        if (auto bad = problem(trimmed, placement::verbatim); !bad.empty()) {
            refuse(method, "options.extra_options", bad);
            return std::nullopt;
        }
        extra += ' ';
        extra += trimmed;
    }
    return extra;
}

image& image::pip_install_as(std::string_view method, std::vector<std::string> packages,
                             const pip_options& options) {
    using namespace detail::image_rules;
    for (const auto& p : packages)
        if (auto bad = problem(p, placement::quoted); !bad.empty())
            return refuse(method, "packages", bad);
    if (packages.empty()) return *this;
    auto extra = pip_arguments(method, options);
    if (!extra) return *this;
    std::stable_sort(
        packages.begin(), packages.end(),
        [](const std::string& a, const std::string& b) { return detail::js::utf16_less(a, b); });
    std::string line = "RUN python -m pip install";
    for (const auto& p : packages) {
        line += ' ';
        detail::js::append_shell_quoted(line, p);
    }
    line += *extra;
    line += '\n';
    append(line);
    return *this;
}

image& image::pip_install(string_list packages, const pip_options& options) & {
    return pip_install_as("pip_install", packages.items(), options);
}

image& image::pip_install_from_requirements(std::string_view path, const pip_options& options) & {
    using namespace detail::image_rules;
    namespace fs = std::filesystem;
    constexpr std::string_view method = "pip_install_from_requirements";
    std::string expanded = detail::js::expand_tilde(path);
    if (auto bad = copy_path_problem(expanded, true); !bad.empty())
        return refuse(method, "path", bad);
    std::error_code ec;
    auto st = fs::status(expanded, ec);
    if (!fs::exists(st))
        return refuse(method, "path", "names '" + expanded + "', which does not exist",
                      errc::io_error);
    if (!fs::is_regular_file(st))
        return refuse(method, "path", "names '" + expanded + "', which exists but is not a file");
    auto extra = pip_arguments(method, options);
    if (!extra) return *this;
    context_.push_back({expanded, expanded});
    append(copy_line(expanded, "/.requirements.txt"));
    append("RUN python -m pip install -r /.requirements.txt" + *extra + "\n");
    return *this;
}

image& image::pip_install_from_pyproject(std::string_view path, string_list optional_dependencies,
                                         const pip_options& options) & {
    using namespace detail::image_rules;
    namespace fs = std::filesystem;
    constexpr std::string_view method = "pip_install_from_pyproject";
    if (auto bad = problem(path, placement::quoted); !bad.empty())
        return refuse(method, "path", bad);
    std::string expanded = detail::js::expand_tilde(path);
    std::error_code ec;
    auto st = fs::status(expanded, ec);
    if (!fs::exists(st))
        return refuse(method, "path", "names '" + expanded + "', which does not exist",
                      errc::io_error);
    if (!fs::is_regular_file(st))
        return refuse(method, "path", "names '" + expanded + "', which exists but is not a file");
    std::ifstream in(expanded, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof())
        return refuse(method, "path", "names '" + expanded + "', which cannot be read",
                      errc::io_error);
    auto [deps, why] = detail::toml::read_pyproject(text, optional_dependencies.items());
    if (!why.empty()) return refuse(method, "path", "names an invalid pyproject.toml: " + why);
    return pip_install_as(method, std::move(deps.packages), options);
}

image& image::run(std::string_view command) & {
    using namespace detail::image_rules;
    if (auto bad = problem(command, placement::verbatim); !bad.empty())
        return refuse("run", "command", bad);
    if (detail::js::trim(command).empty()) return refuse("run", "command", "is empty");
    if (has_heredoc(command))
        return refuse("run", "command",
                      "opens a heredoc, which would swallow the instructions that follow (use "
                      "dockerfile_commands for multi-line instructions)");
    std::string line = "RUN ";
    line += command;
    line += '\n';
    append(line);
    return *this;
}

image& image::run_exec(string_list argv) {
    using namespace detail::image_rules;
    if (argv.empty()) return refuse("run", "argv", "is empty (the exec form needs a program)");
    for (const auto& a : argv)
        if (auto bad = problem(a, placement::raw); !bad.empty()) return refuse("run", "argv", bad);
    append("RUN " + detail::js::json_string_array(argv.items()) + "\n");
    return *this;
}

image& image::run_commands(string_list commands) & {
    using namespace detail::image_rules;
    for (const auto& c : commands) {
        if (auto bad = problem(c, placement::verbatim); !bad.empty())
            return refuse("run_commands", "commands", bad);
        if (detail::js::trim(c).empty())
            return refuse("run_commands", "commands", "contains an empty command");
        if (has_heredoc(c))
            return refuse("run_commands", "commands",
                          "contains a heredoc, which would swallow the instructions that follow");
    }
    for (const auto& c : commands)
        append("RUN " + c + "\n");
    return *this;
}

image& image::workdir(std::string_view path) & {
    using namespace detail::image_rules;
    if (auto bad = problem(path, placement::quoted); !bad.empty())
        return refuse("workdir", "path", bad);
    if (path.empty()) return refuse("workdir", "path", "is empty");
    std::string line = "WORKDIR ";
    detail::js::append_docker_word(line, path);
    line += '\n';
    append(line);
    return *this;
}

image& image::env_pairs(std::vector<std::pair<std::string_view, std::string_view>> vars) {
    using namespace detail::image_rules;
    for (const auto& [key, value] : vars) {
        if (auto bad = problem(key, placement::quoted); !bad.empty())
            return refuse("env", "key", bad);
        if (key.empty()) return refuse("env", "key", "is empty");
        if (detail::js::contains_js_space(key) || detail::js::contains_go_space(key) ||
            key.find_first_of("='\"\\$") != std::string_view::npos)
            return refuse(
                "env", "key",
                "'" + std::string(key) + "' contains whitespace, '=', a quote, a backslash or '$'");
        if (auto bad = problem(value, placement::quoted); !bad.empty())
            return refuse("env", "value", bad);
    }
    for (const auto& [key, value] : vars) {
        std::string line = "ENV ";
        line += key;
        line += '=';
        detail::js::append_docker_word(line, value);
        line += '\n';
        append(line);
    }
    return *this;
}

image& image::env(std::string_view key, std::string_view value) & {
    return env_pairs({{key, value}});
}

image& image::entrypoint(string_list argv) & {
    for (const auto& a : argv)
        if (auto bad = detail::image_rules::problem(a, detail::image_rules::placement::raw);
            !bad.empty())
            return refuse("entrypoint", "argv", bad);
    append("ENTRYPOINT " + detail::js::json_string_array(argv.items()) + "\n");
    return *this;
}

image& image::cmd(string_list argv) & {
    for (const auto& a : argv)
        if (auto bad = detail::image_rules::problem(a, detail::image_rules::placement::raw);
            !bad.empty())
            return refuse("cmd", "argv", bad);
    append("CMD " + detail::js::json_string_array(argv.items()) + "\n");
    return *this;
}

image& image::user(std::string_view name) & {
    using namespace detail::image_rules;
    if (auto bad = problem(name, placement::verbatim); !bad.empty())
        return refuse("user", "name", bad);
    if (name.empty()) return refuse("user", "name", "is empty");
    if (detail::js::contains_go_space(name) || detail::js::contains_js_space(name) ||
        name.find_first_of("'\"\\$") != std::string_view::npos)
        return refuse("user", "name", "contains whitespace, a quote, a backslash or '$'");
    std::string line = "USER ";
    line += name;
    line += '\n';
    append(line);
    return *this;
}

image& image::add_local(std::string_view method, std::string_view local_path,
                        std::string_view remote_path, bool directory) {
    using namespace detail::image_rules;
    namespace fs = std::filesystem;
    std::string remote(remote_path);
    if (!directory && !remote.empty() && remote.back() == '/')
        remote += detail::js::pathe_basename(local_path);
    std::string expanded = detail::js::expand_tilde(local_path);
    if (auto bad = copy_path_problem(expanded, true); !bad.empty())
        return refuse(method, "local_path", bad);
    if (auto bad = copy_path_problem(remote, false); !bad.empty())
        return refuse(method, "remote_path", bad);
    std::error_code ec;
    auto st = fs::status(expanded, ec);
    if (!fs::exists(st))
        return refuse(method, "local_path", "names '" + expanded + "', which does not exist",
                      errc::io_error);
    if (directory ? !fs::is_directory(st) : !fs::is_regular_file(st))
        return refuse(method, "local_path",
                      "names '" + expanded + "', which exists but is not a " +
                          (directory ? "directory" : "file"));
    context_.push_back({expanded, expanded});
    append(copy_line(expanded, remote));
    return *this;
}

image& image::add_local_file(std::string_view local_path, std::string_view remote_path) & {
    return add_local("add_local_file", local_path, remote_path, false);
}

image& image::add_local_dir(std::string_view local_path, std::string_view remote_path) & {
    return add_local("add_local_dir", local_path, remote_path, true);
}

image& image::dockerfile_commands(string_list lines, std::string_view context_dir) & {
    using namespace detail::image_rules;
    namespace fs = std::filesystem;
    constexpr std::string_view method = "dockerfile_commands";
    for (const auto& l : lines)
        if (auto bad = problem(l, placement::raw); !bad.empty())
            return refuse(method, "lines", bad);
    std::string ctx;
    if (!context_dir.empty()) {
        if (auto bad = problem(context_dir, placement::quoted); !bad.empty())
            return refuse(method, "context_dir", bad);
        ctx = detail::js::expand_tilde(context_dir);
        std::error_code ec;
        auto st = fs::status(ctx, ec);
        if (!fs::exists(st))
            return refuse(method, "context_dir", "names '" + ctx + "', which does not exist",
                          errc::io_error);
        if (!fs::is_directory(st))
            return refuse(method, "context_dir",
                          "names '" + ctx + "', which exists but is not a directory");
    }
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i != 0) text += '\n';
        text += lines.items()[i];
    }
    text += '\n';
    // Relative sources are named relative to the context directory in the build context;
    // absolute ones keep their path (the archive drops the leading '/', and Docker resolves an
    // absolute COPY source against the context root).
    std::string root = ctx.empty() ? std::string() : detail::js::pathe_normalize(ctx);
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    for (auto& src : detail::dockerfile::extract_copy_sources(text, ctx)) {
        std::string archive = src.path;
        if (!ctx.empty() && !detail::js::pathe_is_absolute(src.operand)) {
            if (root == ".")
                archive = src.path;
            else if (src.path.size() > root.size() && src.path.compare(0, root.size(), root) == 0 &&
                     src.path[root.size()] == '/')
                archive = strip_leading_separators(std::string_view(src.path).substr(root.size()));
            else if (src.path == root)
                archive.clear();
            else
                archive = strip_leading_separators(src.path);
        }
        context_.push_back({std::move(src.path), std::move(archive)});
    }
    append(text);
    return *this;
}

result<std::vector<std::string>> image::context_hashes() const {
    if (error_) return *error_;
    std::vector<std::string> out;
    out.reserve(context_.size());
    for (const auto& e : context_) {
        auto h = context_hash(e);
        if (!h) return std::move(h).error();
        out.push_back(std::move(*h));
    }
    return out;
}

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_IMPL_IMAGE_IPP
