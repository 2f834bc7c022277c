// SPDX-License-Identifier: Apache-2.0
// A small TOML reader: enough of TOML 1.0 to read a pyproject.toml's [project].dependencies and
// [project.optional-dependencies] (tables, dotted keys, strings of all four kinds, arrays, inline
// tables; other scalars are skipped).
#ifndef DAYTONA_DETAIL_PYPROJECT_HPP
#define DAYTONA_DETAIL_PYPROJECT_HPP

#include "daytona/config.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace detail::toml {

struct value {
    enum class kind { string, array, table, other };
    kind k = kind::other;
    std::string str{};                              // kind::string
    std::vector<value> items{};                     // kind::array
    std::vector<std::string> keys{};                // kind::table, parallel to members
    std::vector<std::unique_ptr<value>> members{};  // kind::table

    DAYTONA_DECL value* find(std::string_view key) const;
};

class parser {
public:
    explicit parser(std::string_view text) : s_(text) {}

    /// Parses the whole document into `root`; on failure returns a message with the line number.
    DAYTONA_DECL std::optional<std::string> parse(value& root);

private:
    bool eof() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }

    DAYTONA_DECL std::optional<std::string> fail(std::string what) const;

    DAYTONA_DECL void skip_ws();
    DAYTONA_DECL void skip_comment();
    DAYTONA_DECL void skip_blank_lines();
    // Whitespace, comments and newlines inside arrays.
    void skip_array_space() { skip_blank_lines(); }

    DAYTONA_DECL bool end_of_line();

    static bool bare_key_char(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    }

    DAYTONA_DECL bool key_path(std::vector<std::string>& path);

    DAYTONA_DECL static value* child_table(value& parent, const std::string& key);

    DAYTONA_DECL std::optional<std::string> key_value(value& table);

    DAYTONA_DECL std::optional<std::string> parse_value(value& v);

    DAYTONA_DECL bool hex_escape(std::string& out, int digits);

    DAYTONA_DECL bool string_value(std::string& out);

    std::string_view s_;
    std::size_t i_ = 0;
    std::vector<std::unique_ptr<value>> scratch_{};
};

/// What pip_install_from_pyproject needs from a pyproject.toml.
struct pyproject_requirements {
    std::vector<std::string> packages{};
};

/// The dependencies of `[project]` followed by those of each named optional group, in the order
/// given. On failure, a message in the words of the official SDK.
DAYTONA_DECL std::pair<pyproject_requirements, std::string> read_pyproject(
    std::string_view text, const std::vector<std::string>& groups);

}  // namespace detail::toml
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/detail/impl/pyproject.ipp"
#endif

#endif  // DAYTONA_DETAIL_PYPROJECT_HPP
