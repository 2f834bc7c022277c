// SPDX-License-Identifier: Apache-2.0
// result<T>: a value or a daytona::error, with std::expected's member names.
#ifndef DAYTONA_RESULT_HPP
#define DAYTONA_RESULT_HPP

#include "daytona/config.hpp"
#include "daytona/error.hpp"

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

DAYTONA_BEGIN_NAMESPACE

/**
 * \brief A value of type `T`, or the daytona::error that prevented computing it.
 * \details The member names follow `std::expected`, so a later switch is mechanical. Failures are
 * ordinary values: 404, 409 or a timeout never throw. `value()` throws daytona::api_error for
 * callers who prefer exceptions; dereferencing a failed result is undefined behaviour (as with
 * StatusOr).
 */
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T>, "result<T&> is not supported");
    static_assert(!std::is_same_v<std::remove_cv_t<T>, daytona::error>,
                  "result<error> is ambiguous");

public:
    /// The type of the value, `T`.
    using value_type = T;
    /// The type of the error, daytona::error.
    using error_type = daytona::error;

    /// A value-initialized T when T has a default constructor, as std::expected does; otherwise
    /// (handles such as daytona::sandbox have no empty state) an errc::invalid_argument error
    /// saying that no value was produced. asio's co_spawn needs a default-constructible result to
    /// complete a handler when the coroutine threw (the handler then gets the exception).
    result() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
    result() requires(!std::is_default_constructible_v<T>)
        : v_(std::in_place_index<1>,
             daytona::error(make_error_code(errc::invalid_argument), "no value was produced")) {}

    /// A failure. Deliberately implicit so that `co_return error{errc::timeout};` reads naturally.
    result(daytona::error e) noexcept : v_(std::in_place_index<1>, std::move(e)) {}

    /// A success holding anything `T` can be constructed from.
    template <class U = T,
              std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                   !std::is_same_v<std::remove_cvref_t<U>, result> &&
                                   !std::is_same_v<std::remove_cvref_t<U>, daytona::error> &&
                                   !std::is_same_v<std::remove_cvref_t<U>, std::error_code> &&
                                   !std::is_error_code_enum_v<std::remove_cvref_t<U>>,
                               int> = 0>
    explicit(!std::is_convertible_v<U&&, T>) result(U&& v)  // NOLINT: implicit when U converts
        : v_(std::in_place_index<0>, std::forward<U>(v)) {}

    /// True when this holds a value, false when it holds an error.
    bool has_value() const noexcept { return v_.index() == 0; }
    /// has_value().
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws api_error if this holds an error.
    ///@{
    T& value() & {
        check();
        return *std::get_if<0>(&v_);
    }
    const T& value() const& {
        check();
        return *std::get_if<0>(&v_);
    }
    T&& value() && {
        check();
        return std::move(*std::get_if<0>(&v_));
    }
    ///@}

    /// The error. Precondition: `!has_value()`.
    ///@{
    const daytona::error& error() const& noexcept { return *std::get_if<1>(&v_); }
    daytona::error&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }
    ///@}

    /// The value. Precondition: `has_value()`.
    ///@{
    T& operator*() & noexcept { return *std::get_if<0>(&v_); }
    const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
    T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
    ///@}
    /// A pointer to the value. Precondition: `has_value()`.
    ///@{
    T* operator->() noexcept { return std::get_if<0>(&v_); }
    const T* operator->() const noexcept { return std::get_if<0>(&v_); }
    ///@}

    /// The value, or `fallback` converted to `T` when this holds an error.
    ///@{
    template <class U>
    T value_or(U&& fallback) const& {
        return has_value() ? **this : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U&& fallback) && {
        return has_value() ? std::move(**this) : static_cast<T>(std::forward<U>(fallback));
    }
    ///@}

private:
    void check() const {
        if (!has_value()) throw api_error(*std::get_if<1>(&v_));
    }

    std::variant<T, daytona::error> v_;
};

/// The outcome of an operation that produces no value.
template <>
class [[nodiscard]] result<void> {
public:
    /// No value: `void`.
    using value_type = void;
    /// The type of the error, daytona::error.
    using error_type = daytona::error;

    /// Success.
    result() noexcept = default;
    /// A failure.
    result(daytona::error e) noexcept : err_(std::move(e)) {}  // NOLINT: implicit by design

    /// True on success, false when this holds an error.
    bool has_value() const noexcept { return !err_.has_value(); }
    /// has_value().
    explicit operator bool() const noexcept { return has_value(); }

    /// Throws api_error if this holds an error.
    void value() const {
        if (err_) throw api_error(*err_);
    }
    /// The error. Precondition: `!has_value()`.
    ///@{
    const daytona::error& error() const& noexcept { return *err_; }
    daytona::error&& error() && noexcept { return std::move(*err_); }
    ///@}

private:
    std::optional<daytona::error> err_;
};

DAYTONA_END_NAMESPACE

#endif  // DAYTONA_RESULT_HPP
