package io.moescope.dashboard.users;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.MainLayout;
import io.moescope.platform.security.ApiTokenInfo;
import io.moescope.platform.security.ApiTokens;
import io.moescope.platform.security.IssuedToken;
import io.moescope.platform.security.Role;
import io.moescope.platform.security.SignInThrottle;
import io.moescope.platform.security.UserAccount;
import io.moescope.platform.security.UserAccounts;
import jakarta.annotation.security.RolesAllowed;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.util.function.Supplier;

/** Admin only: dashboard users (name, password, role) and the JSON API's bearer tokens (created, listed, revoked). */
@Route(value = "admin/users", layout = MainLayout.class)
@PageTitle("Users & tokens")
@RolesAllowed("ADMIN")
public class UsersView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final UserAccounts users;
    private final ApiTokens tokens;
    private final Grid<UserAccount> userGrid = new Grid<>(UserAccount.class, false);
    private final Grid<ApiTokenInfo> tokenGrid = new Grid<>(ApiTokenInfo.class, false);
    private final Paragraph message = new Paragraph();
    private final TextField issued = new TextField("New token: copy it now, it is not shown again");

    public UsersView(UserAccounts users, ApiTokens tokens, SignInThrottle throttle) {
        this.users = users;
        this.tokens = tokens;
        setId("users-view");
        message.setId("users-message");
        issued.setId("new-token");
        issued.setReadOnly(true);
        issued.setWidthFull();
        issued.setVisible(false);
        configureGrids();
        add(new H2("Users"), userForm(), userGrid, new H2("API tokens"),
                new Paragraph("Bearer tokens for the JSON API and the command line: Authorization: Bearer <token>."),
                tokenForm(), issued, tokenGrid, message, new SignInLocks(throttle));
        refresh();
    }

    private HorizontalLayout userForm() {
        var name = new TextField("User name");
        name.setId("new-user-name");
        var password = new PasswordField("Password (12 characters or more)");
        password.setId("new-user-password");
        var role = roleSelect("new-user-role");
        var create = new Button("Create user", click -> attempt(() -> users.create(name.getValue(),
                password.getValue(), role.getValue()), created -> {
                    name.clear();
                    password.clear();
                    return "created user " + created.username() + " (" + created.role() + ")";
                }));
        create.setId("create-user");
        return form(name, password, role, create);
    }

    private HorizontalLayout tokenForm() {
        var name = new TextField("Token name");
        name.setId("new-token-name");
        var role = roleSelect("new-token-role");
        var create = new Button("Create token", click -> attempt(() -> tokens.create(name.getValue(),
                role.getValue()), issued -> {
                    name.clear();
                    return showIssued(issued);
                }));
        create.setId("create-token");
        return form(name, role, create);
    }

    private String showIssued(IssuedToken token) {
        issued.setValue(token.secret());
        issued.setVisible(true);
        return "created token " + token.info().name() + " (" + token.info().role() + ")";
    }

    private void configureGrids() {
        userGrid.setId("users-grid");
        userGrid.setAllRowsVisible(true);
        userGrid.addColumn(UserAccount::username).setHeader("User");
        userGrid.addColumn(UserAccount::role).setHeader("Role");
        userGrid.addColumn(user -> time(user.createdAt())).setHeader("Created (UTC)");

        tokenGrid.setId("tokens-grid");
        tokenGrid.setAllRowsVisible(true);
        tokenGrid.addColumn(ApiTokenInfo::name).setHeader("Token").setFlexGrow(2);
        tokenGrid.addColumn(ApiTokenInfo::role).setHeader("Role");
        tokenGrid.addColumn(token -> time(token.createdAt())).setHeader("Created (UTC)");
        tokenGrid.addColumn(token -> time(token.lastUsedAt())).setHeader("Last used (UTC)");
        tokenGrid.addColumn(token -> token.revoked() ? "revoked " + time(token.revokedAt()) : "valid")
                .setHeader("Status");
        tokenGrid.addComponentColumn(token -> {
            var revoke = new Button("Revoke", click -> attempt(() -> tokens.revoke(token.id()),
                    revoked -> "revoked token " + revoked.name()));
            revoke.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            revoke.setEnabled(!token.revoked());
            return revoke;
        }).setHeader("");
        GridColumns.fitToContent(userGrid);
        GridColumns.fitToContent(tokenGrid);
    }

    /** Runs the change; bad input (IllegalArgumentException) shows its message instead of a stack trace. */
    private <T> void attempt(Supplier<T> change, Function<T, String> success) {
        try {
            message.setText(success.apply(change.get()));
        } catch (IllegalArgumentException e) {
            message.setText(e.getMessage());
        }
        refresh();
    }

    private void refresh() {
        userGrid.setItems(users.list());
        tokenGrid.setItems(tokens.list());
    }

    private static Select<Role> roleSelect(String id) {
        var role = new Select<Role>();
        role.setId(id);
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.VIEWER);
        return role;
    }

    private static HorizontalLayout form(Component... fields) {
        var form = new HorizontalLayout(fields);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        return form;
    }

    private static String time(OffsetDateTime at) {
        return at == null ? "never" : TIME.format(at.toLocalDateTime());
    }
}
