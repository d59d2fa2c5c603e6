package io.moescope.platform.security;

/** A token just created: the only moment its secret exists outside the client. */
public record IssuedToken(ApiTokenInfo info, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + info + "]";
    }
}
