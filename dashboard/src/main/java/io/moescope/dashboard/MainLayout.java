package io.moescope.dashboard;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.moescope.dashboard.alerts.AlertsView;
import io.moescope.dashboard.compare.CompareView;
import io.moescope.dashboard.imports.ImportReplayView;
import io.moescope.dashboard.placement.PlacementView;
import io.moescope.dashboard.runs.RunsView;
import io.moescope.dashboard.users.UsersView;
import io.moescope.dashboard.warmup.WarmupView;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;

/**
 * The frame around every view: app name, navigation (admin pages only for admins), who is signed in with a
 * sign-out button, and the UI's poll interval.
 *
 * <p>The layout, not the views, owns polling: views come and go under it (and an old view may detach after the
 * new one attached), so a view that switched polling off on detach could silence its successor. Views subscribe
 * with {@code UI.addPollListener} while attached. Polling, not push: it needs no WebSocket and survives proxies.
 */
@PermitAll
public class MainLayout extends AppLayout {

    private final Duration refreshInterval;

    public MainLayout(@Value("${moescope.ui.refresh-interval:2s}") Duration refreshInterval,
                      AuthenticationContext authentication) {
        this.refreshInterval = refreshInterval;
        Span appName = new Span("moescope");
        appName.addClassNames(LumoUtility.FontSize.LARGE, LumoUtility.FontWeight.SEMIBOLD, LumoUtility.Margin.SMALL);
        addToNavbar(new DrawerToggle(), appName, signedIn(authentication));

        SideNav nav = new SideNav();
        nav.addItem(new SideNavItem("Runs", RunsView.class, VaadinIcon.LIST.create()));
        nav.addItem(new SideNavItem("Compare", CompareView.class, VaadinIcon.SPLIT.create()));
        nav.addItem(new SideNavItem("Warm-up", WarmupView.class, VaadinIcon.TRENDING_UP.create()));
        nav.addItem(new SideNavItem("Placement", PlacementView.class, VaadinIcon.SERVER.create()));
        nav.addItem(new SideNavItem("Alerts", AlertsView.class, VaadinIcon.BELL.create()));
        if (authentication.hasRole("ADMIN")) {
            nav.addItem(new SideNavItem("Import & Replay", ImportReplayView.class, VaadinIcon.UPLOAD.create()));
            nav.addItem(new SideNavItem("Users & tokens", UsersView.class, VaadinIcon.USERS.create()));
        }
        addToDrawer(nav);
        setPrimarySection(Section.DRAWER);
    }

    private static Div signedIn(AuthenticationContext authentication) {
        Span user = new Span(authentication.getPrincipalName().orElse(""));
        user.setId("signed-in-user");
        Button signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), click -> authentication.logout());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Div box = new Div(user, signOut);
        // Inline styles: the Lumo utility stylesheet is not loaded in this application.
        box.getStyle().set("display", "flex").set("align-items", "center").set("gap", "var(--lumo-space-s)")
                .set("margin-left", "auto").set("margin-right", "var(--lumo-space-m)");
        return box;
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        attachEvent.getUI().setPollInterval((int) refreshInterval.toMillis());
    }
}
